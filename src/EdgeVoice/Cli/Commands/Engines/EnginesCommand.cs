using System.CommandLine;
using EdgeVoice.Hosting;
using EdgeVoice.Inference;
using EdgeVoice.Voices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Cli.Commands;

/// <summary><c>edgevoice engines</c>: the TensorRT engine cache of the installed voices (<c>build</c>, <c>calibrate</c>, <c>check</c>, <c>profile</c>, <c>prune</c>).</summary>
internal static class EnginesCommand
{
    public static Command Create(string[] settings)
    {
        var command = new Command("engines", "The TensorRT engine cache (Inference:TensorRt:EngineCacheDirectory) of the installed voices.");
        command.Subcommands.Add(Build(settings));
        command.Subcommands.Add(CalibrateCommand.Create(settings));
        command.Subcommands.Add(Check(settings));
        command.Subcommands.Add(Profile());
        command.Subcommands.Add(Prune(settings));
        return command;
    }

    private static Command Build(string[] settings)
    {
        var build = new Command("build", "Build every installed model's TensorRT engine now, so the service starts warm (exit code 1 when TensorRT is missing or a build fails).");
        var flags = new HostFlags("--voices");
        flags.AddTo(build);
        build.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = Verb.Quiet(flags.Overrides(parse));
            overrides["Inference:Providers"] = "tensorrt";
            return await WithEnginesAsync(settings, overrides, (services, audit) =>
            {
                if (!services.GetRequiredService<SessionFactory>().CanUseTensorRt(out var reason))
                {
                    return Verb.Fail(CommandLine.Failed, $"cannot build engines: {reason}.");
                }

                var registry = services.GetRequiredService<VoiceRegistry>();
                registry.LoadAll();
                var broken = registry.List().Where(v => v.Error is not null).ToList();
                foreach (var voice in broken)
                {
                    Console.Error.WriteLine($"edgevoice: voice '{voice.Name}': {voice.Error}");
                }

                return PrintEngines(audit.Check()) && broken.Count == 0 ? CommandLine.Ok : CommandLine.Failed;
            }).ConfigureAwait(false);
        });
        return build;
    }

    private static Command Check(string[] settings)
    {
        var check = new Command("check", "List each installed model's engine folder and whether its engine is built (exit code 1 when one is missing).");
        var flags = new HostFlags("--voices");
        flags.AddTo(check);
        check.SetAction(async (parse, cancellationToken) =>
            await WithEnginesAsync(settings, Verb.Quiet(flags.Overrides(parse)), (_, audit) =>
                PrintEngines(audit.Check()) ? CommandLine.Ok : CommandLine.Failed).ConfigureAwait(false));
        return check;
    }

    private static Command Prune(string[] settings)
    {
        var prune = new Command("prune", "Delete cached engines no installed model can use any more (old models, another TensorRT, other options).");
        var flags = new HostFlags("--voices");
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be deleted." };
        flags.AddTo(prune);
        prune.Options.Add(dryRun);
        prune.SetAction(async (parse, cancellationToken) =>
            await WithEnginesAsync(settings, Verb.Quiet(flags.Overrides(parse)), (_, audit) =>
            {
                var stale = parse.GetValue(dryRun) ? audit.Stale() : audit.Prune();
                foreach (var directory in stale)
                {
                    Console.Out.WriteLine((parse.GetValue(dryRun) ? "stale   " : "deleted ") + directory);
                }

                Console.Out.WriteLine($"{stale.Count} stale engine folder(s)");
                return CommandLine.Ok;
            }).ConfigureAwait(false));
        return prune;
    }

    private static Command Profile()
    {
        var profile = new Command("profile", "Print a model's TensorRT shape profiles (for Inference:TensorRt:Profile*Shapes) and the matching trtexec command.");
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file." };
        var opt = new Option<int>("--opt") { Description = "Length the engine is tuned for.", DefaultValueFactory = _ => ShapeProfiles.DefaultOpt };
        var max = new Option<int>("--max") { Description = "Longest length the engine accepts.", DefaultValueFactory = _ => ShapeProfiles.DefaultMax };
        profile.Arguments.Add(model);
        profile.Options.Add(opt);
        profile.Options.Add(max);
        profile.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(model)!;
            if (!file.Exists)
            {
                return Verb.Fail(CommandLine.Usage, $"model '{file.FullName}' does not exist.");
            }

            if (parse.GetValue(opt) < 1 || parse.GetValue(max) < parse.GetValue(opt))
            {
                return Verb.Fail(CommandLine.Usage, "--opt must be at least 1 and --max at least --opt.");
            }

            try
            {
                var shapes = ShapeProfiles.For(file.FullName, parse.GetValue(opt), parse.GetValue(max));
                var output = Console.Out;
                await output.WriteLineAsync($"Inference:TensorRt:ProfileMinShapes={shapes.Min}").ConfigureAwait(false);
                await output.WriteLineAsync($"Inference:TensorRt:ProfileOptShapes={shapes.Opt}").ConfigureAwait(false);
                await output.WriteLineAsync($"Inference:TensorRt:ProfileMaxShapes={shapes.Max}").ConfigureAwait(false);
                await output.WriteLineAsync(shapes.TrtexecCommand(file.FullName, Path.ChangeExtension(file.FullName, ".fp16.engine"), fp16: true, int8: false, calibrationTable: null)).ConfigureAwait(false);
                return CommandLine.Ok;
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
            {
                return Verb.Fail(CommandLine.Failed, $"'{file.FullName}' is not a model ONNX Runtime can read: {e.Message}");
            }
        });
        return profile;
    }

    /// <summary>Starts the host's services and audits the engine cache of the installed models against them.</summary>
    private static Task<int> WithEnginesAsync(string[] settings, Dictionary<string, string?> overrides, Func<IServiceProvider, EngineCacheAudit, int> work) =>
        Verb.WithServicesAsync(EdgeVoiceHost.CreateBuilder(settings, overrides), services =>
        {
            var audit = new EngineCacheAudit(
                services.GetRequiredService<SessionFactory>(),
                services.GetRequiredService<IOptions<VoicesOptions>>().Value.Directory,
                services.GetRequiredService<IOptions<InferenceOptions>>().Value.TensorRt.EngineCacheDirectory);
            return Task.FromResult(work(services, audit));
        });

    /// <summary>One line per model; true when every engine is built.</summary>
    private static bool PrintEngines(IReadOnlyList<EngineCacheAudit.Entry> entries)
    {
        foreach (var entry in entries)
        {
            Console.Out.WriteLine($"{(entry.Built ? "built  " : "missing")} {entry.Model} -> {entry.Folder}");
        }

        Console.Out.WriteLine($"{entries.Count(e => e.Built)} of {entries.Count} model(s) have an engine");
        return entries.All(e => e.Built);
    }
}
