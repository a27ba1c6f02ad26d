using System.CommandLine;
using EdgeVoice.Hosting;
using EdgeVoice.Text;
using EdgeVoice.Tools.Calibration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Cli.Commands;

/// <summary><c>edgevoice engines calibrate</c>: INT8 calibration samples for a voice's models, through its own frontend.</summary>
internal static class CalibrateCommand
{
    public static Command Create(string[] settings)
    {
        var flags = new HostFlags("--voices");
        var voice = new Option<string>("--voice") { Description = "Voice whose models are calibrated.", Required = true };
        var texts = new Option<FileInfo>("--texts") { Description = "Text file, one text a line, in the voice's language, like what it will say.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the samples (one folder per model).", Required = true };
        var samples = new Option<int>("--samples") { Description = "Most chunks to make samples of.", DefaultValueFactory = _ => 500 };
        var command = new Command("calibrate", "Make INT8 calibration samples for a voice's models from a text list through its own frontend (for tensorrt/build-int8.sh).");
        command.Options.Add(voice);
        command.Options.Add(texts);
        command.Options.Add(output);
        command.Options.Add(samples);
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Verb.Quiet(flags.Overrides(parse)));
            return await Verb.WithVoiceAsync(builder, parse.GetValue(texts)!, parse.GetValue(voice), async (services, chosen, file) =>
            {
                var folder = parse.GetValue(output)!.FullName;
                var lines = await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false);
                var written = CalibrationData.Write(chosen, lines, services.GetRequiredService<TextPlanner>(), folder, Math.Max(1, parse.GetValue(samples)));
                if (written.Count == 0)
                {
                    return Verb.Fail(CommandLine.Failed, $"the texts in {file} gave nothing to calibrate on.");
                }

                foreach (var model in written)
                {
                    await Console.Out.WriteLineAsync($"{model.Model}: {model.Samples} samples in {model.Folder}").ConfigureAwait(false);
                    await Console.Out.WriteLineAsync($"  tensorrt/build-int8.sh {model.Model} {model.Folder}").ConfigureAwait(false);
                }

                return CommandLine.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
