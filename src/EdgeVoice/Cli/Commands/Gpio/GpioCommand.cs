using System.CommandLine;
using EdgeVoice.Audio;
using EdgeVoice.Audio.Volume;
using EdgeVoice.Frontends.Gpio;
using EdgeVoice.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Cli.Commands;

/// <summary><c>edgevoice gpio check</c>: the configured kiosk parts and whether each line opens.</summary>
internal static class GpioCommand
{
    public static Command Create(string[] settings)
    {
        var command = new Command("gpio", "The kiosk hardware on GPIO lines (Gpio:*): amplifier enable, stop and repeat buttons, LEDs.");
        var check = new Command("check", "List each configured part (Gpio:*) and whether its line opens, and how the volume is set (exit code 1 when a configured part does not open).");
        check.SetAction(async (parse, cancellationToken) =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Verb.Quiet([]));
            return await Verb.WithServicesAsync(builder, services =>
            {
                var gpio = services.GetRequiredService<IOptions<GpioOptions>>().Value;
                var failed = 0;
                using (var board = new GpioBoard(GpioBoard.Libgpiod(gpio.Driver)))
                {
                    foreach (var (key, line) in gpio.Parts())
                    {
                        if (!line.Fitted)
                        {
                            Console.WriteLine($"{key,-22} not configured");
                            continue;
                        }

                        var problem = Probe(board, line);
                        failed += problem is null ? 0 : 1;
                        Console.WriteLine($"{key,-22} {line.Where,-16} {problem ?? "opens"}");
                    }
                }

                _ = services.GetRequiredService<IAudioSink>(); // opens the PCM, which creates a softvol control
                var volume = services.GetRequiredService<VolumeControl>();
                Console.WriteLine($"{"Audio:MixerControl",-22} {volume.Method,-16} {volume.MixerProblem ?? $"volume {volume.Level}"}");
                return Task.FromResult(failed == 0 ? CommandLine.Ok : CommandLine.Failed);
            }).ConfigureAwait(false);
        });
        command.Subcommands.Add(check);
        return command;
    }

    /// <summary>Opens the part's line (an output switched off, or an input) and closes it again; null when it opened.</summary>
    private static string? Probe(GpioBoard board, LineOptions line)
    {
        try
        {
            IDisposable part = line switch
            {
                LedOptions { SysfsName.Length: > 0 } led => new SysfsLed(led.SysfsName),
                ButtonLineOptions button => board.OpenInput(button, _ => { }),
                _ => board.OpenOutput(line),
            };
            part.Dispose();
            return null;
        }
        catch (GpioUnavailableException e)
        {
            return "FAILED: " + e.Message;
        }
    }
}
