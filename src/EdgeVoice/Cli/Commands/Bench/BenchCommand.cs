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
        var textFile = new Option<FileInfo>("--text") { Description = "Text to speak (at least 50 characters; repeated up to 5,000).", Required = true };
        var runs = new Option<int>("--runs") { Description = "Runs of each measurement; medians are reported.", DefaultValueFactory = _ => 3 };
        var command = new Command("bench", "Measure a voice: per-chunk time against a bare ONNX Runtime loop, real-time factor, time to first audio and peak memory.");
        command.Options.Add(voice);
        command.Options.Add(textFile);
        command.Options.Add(runs);
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Verb.Quiet(flags.Overrides(parse)));
            builder.Services.AddSingleton<VoiceBenchmark>();
            return await Verb.WithVoiceAsync(builder, parse.GetValue(textFile)!, parse.GetValue(voice), async (services, chosen, file) =>
            {
                var sample = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                var report = await services.GetRequiredService<VoiceBenchmark>()
                    .RunAsync(chosen, sample, Math.Max(1, parse.GetValue(runs)), Console.Error, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(VoiceBenchmark.Format(report)).ConfigureAwait(false);
                return CommandLine.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
