using System.CommandLine;
using EdgeVoice.Cli.Commands;

namespace EdgeVoice.Cli;

/// <summary>
/// The <c>edgevoice</c> executable: the root command and its verbs, each in <c>Commands/&lt;Verb&gt;/</c>:
/// <c>serve</c> (the daemon, and the default verb), <c>say</c>, <c>text</c>, <c>voices</c> (and <c>voices enroll</c>),
/// <c>bench</c>, <c>engines</c> (<c>build</c>, <c>calibrate</c>, <c>check</c>, <c>profile</c>, <c>prune</c>).
/// Exit codes: 0 done, 1 failed while working, 2 bad arguments or configuration.
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private static readonly string[] RootOnlyTokens = ["-h", "--help", "-?", "--version"];

    public static Task<int> RunAsync(string[] args)
    {
        // Any setting can be given as --Section:Key=value; those go to the configuration, the rest to the verb.
        var settings = args.Where(IsSetting).ToArray();
        args = [.. args.Where(a => !IsSetting(a))];

        // `edgevoice` and `edgevoice --broker …` mean `edgevoice serve …`.
        if (args.Length == 0 || (args[0].StartsWith('-') && !RootOnlyTokens.Contains(args[0])))
        {
            args = ["serve", .. args];
        }

        var root = new RootCommand("EdgeVoice: an offline text-to-speech daemon driven by MQTT.\n" +
                                   "Any setting may also be given as --Section:Key=value (for example --Audio:WavDirectory=/tmp/audio).");
        root.Subcommands.Add(ServeCommand.Create(settings));
        root.Subcommands.Add(SayCommand.Create(settings));
        root.Subcommands.Add(TextCommand.Create(settings));
        root.Subcommands.Add(VoicesCommand.Create(settings));
        root.Subcommands.Add(BenchCommand.Create(settings));
        root.Subcommands.Add(EnginesCommand.Create(settings));
        root.Subcommands.Add(GpioCommand.Create(settings));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"edgevoice: {error.Message}");
            }

            Console.Error.WriteLine("Try 'edgevoice --help'.");
            return Task.FromResult(Usage);
        }

        return parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>A configuration override: <c>--Section:Key=value</c>.</summary>
    internal static bool IsSetting(string argument) =>
        argument.StartsWith("--", StringComparison.Ordinal) && argument.IndexOf(':', StringComparison.Ordinal) is var colon and > 2 &&
        argument.IndexOf('=', StringComparison.Ordinal) is var equals and > 0 && colon < equals;
}
