using System.CommandLine;
using EdgeVoice.Hosting;
using EdgeVoice.Tools.Bench;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Cli.Commands;

/// <summary><c>edgevoice bench</c>: a voice measured against a bare ONNX Runtime loop (docs/BENCHMARKS.md).</summary>
internal static class BenchCommand
{
    public static Command Create(string[] settings)
    {
        var flags = new HostFlags("--voices");
        var voice = new Option<string?>("--voice") { Description = "Voice to measure (default: Voices:Default)." };
        var textFile = new Option<FileInfo>("--text") { Description = "Text to speak (more than 100 characters; repeated up to 5,000).", Required = true };
        var runs = new Option<int>("--runs") { Description = "Runs of each measurement; medians are reported.", DefaultValueFactory = _ => 3 };
        var chunks = new Option<int>("--chunks") { Description = "Chunks of the text timed one by one.", DefaultValueFactory = _ => 12 };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Stops each whole utterance of the memory measurements after this many seconds (0: no bound)." };
        var streamChars = new Option<int>("--stream-chars") { Description = "Also streams the text repeated to this many characters (e.g. 1000000) into a discard sink for the peak RSS; bound it with --max-seconds." };
        var command = new Command("bench", "Measure a voice: per-chunk time against a bare ONNX Runtime loop, real-time factor, time to first audio and peak memory.");
        command.Options.Add(voice);
        command.Options.Add(textFile);
        command.Options.Add(runs);
        command.Options.Add(chunks);
        command.Options.Add(maxSeconds);
        command.Options.Add(streamChars);
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Verb.Quiet(flags.Overrides(parse)));
            builder.Services.AddSingleton<VoiceBenchmark>();
            return await Verb.WithVoiceAsync(builder, parse.GetValue(textFile)!, parse.GetValue(voice), async (services, chosen, file) =>
            {
                var sample = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                var report = await services.GetRequiredService<VoiceBenchmark>()
                    .RunAsync(chosen, sample, new BenchSettings(Math.Max(1, parse.GetValue(runs)), parse.GetValue(chunks), parse.GetValue(maxSeconds), parse.GetValue(streamChars)), Console.Error, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(VoiceBenchmark.Format(report)).ConfigureAwait(false);
                return CommandLine.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
