using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeVoice.Telemetry;
using EdgeVoice.Hosting;
using EdgeVoice.Voices;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Cli.Commands;

/// <summary><c>edgevoice voices</c>: load, check and warm up every installed voice, and list them; <c>voices enroll</c> makes one.</summary>
internal static class VoicesCommand
{
    private static readonly JsonTypeInfo<IReadOnlyList<VoiceInfo>> VoicesJson = JsonText.Readable<IReadOnlyList<VoiceInfo>>(CliJsonContext.Default);

    public static Command Create(string[] settings)
    {
        var flags = new HostFlags("--voices");
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("voices", "Load, check and warm up every installed voice, and list them (exit code 1 when one is broken).");
        command.Options.Add(json);
        flags.AddTo(command);
        command.Subcommands.Add(EnrollCommand.Create(settings));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Verb.Quiet(flags.Overrides(parse)));
            return await Verb.WithServicesAsync(builder, async services =>
            {
                var registry = services.GetRequiredService<VoiceRegistry>();
                registry.LoadAll();
                var voices = registry.List();
                if (parse.GetValue(json))
                {
                    await Console.Out.WriteLineAsync(JsonSerializer.Serialize(voices, VoicesJson)).ConfigureAwait(false);
                }
                else
                {
                    PrintVoices(voices, registry.DefaultName);
                }

                return voices.Any(v => v.Error is not null) ? CommandLine.Failed : CommandLine.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static void PrintVoices(IReadOnlyList<VoiceInfo> voices, string defaultName)
    {
        var ready = voices.Where(v => v.Error is null).ToList();
        var width = Math.Max(8, ready.Select(v => v.Name.Length).DefaultIfEmpty(0).Max() + 2);
        Console.Out.WriteLine($"{"NAME".PadRight(width)}{"ENGINE",-12}{"LANGUAGE",-10}{"RATE",7}  {"PROVIDER",-10}{"LOAD MS",9}{"WARM-UP MS",12}");
        foreach (var voice in ready)
        {
            var mark = voice.Name == defaultName ? "*" : " ";
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{(voice.Name + mark).PadRight(width)}{voice.Engine,-12}{voice.Language,-10}{voice.SampleRate,7}  {voice.Provider,-10}{voice.LoadMs,9:F0}{voice.WarmUpMs,12:F0}"));
            foreach (var fallback in voice.Fallbacks)
            {
                Console.Out.WriteLine($"    not on {fallback}");
            }

            if (voice.Wiring is { } wiring)
            {
                Console.Out.WriteLine($"    decoder {wiring}");
            }
        }

        foreach (var broken in voices.Where(v => v.Error is not null))
        {
            Console.Out.WriteLine($"BROKEN {broken.Name}: {broken.Error}");
        }

        Console.Out.WriteLine($"* default voice: {defaultName}");
    }
}
