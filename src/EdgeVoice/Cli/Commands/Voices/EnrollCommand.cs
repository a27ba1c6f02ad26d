using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeVoice.Audio.Wav;
using EdgeVoice.Hosting;
using EdgeVoice.Inference;
using EdgeVoice.Voices;
using EdgeVoice.Voices.Espeak;
using EdgeVoice.Voices.GptSoVits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Cli.Commands;

/// <summary><c>edgevoice voices enroll</c>: a GPT-SoVITS voice from a bundle and a reference clip, with its speaker features cached.</summary>
internal static class EnrollCommand
{
    public static Command Create(string[] settings)
    {
        var flags = new HostFlags("--voices");
        var name = new Argument<string>("NAME") { Description = "Name of the new voice (its folder in the voices folder)." };
        var bundle = new Option<string>("--bundle") { Description = "GPT-SoVITS ONNX bundle folder.", Required = true };
        var clip = new Option<string>("--ref") { Description = "Reference clip: a WAV with 3 to 10 s of the speaker's voice.", Required = true };
        var text = new Option<string>("--ref-text") { Description = "What the reference clip says.", Required = true };
        var language = new Option<string>("--lang") { Description = "Language of the reference: zh or en.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a voice of the same name." };
        var command = new Command("enroll", "Make a GPT-SoVITS voice from a bundle and a reference clip, and cache its speaker features.");
        command.Arguments.Add(name);
        command.Options.Add(bundle);
        command.Options.Add(clip);
        command.Options.Add(text);
        command.Options.Add(language);
        command.Options.Add(force);
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Verb.Quiet(flags.Overrides(parse)));
            return await Verb.WithServicesAsync(builder, async services =>
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    var result = Enrollment.Enroll(
                        parse.GetValue(name)!, parse.GetValue(bundle)!, parse.GetValue(clip)!, parse.GetValue(text)!, parse.GetValue(language)!,
                        services.GetRequiredService<IOptions<VoicesOptions>>().Value.Directory, parse.GetValue(force),
                        services.GetRequiredService<SessionFactory>(), services.GetRequiredService<EspeakLibrary>(),
                        services.GetRequiredService<IOptions<GptSoVitsOptions>>().Value);
                    var r = result.Reference;
                    var f = result.Features;
                    var detail = f.Prompt.Length > 0
                        ? $"{f.Prompt.Length} prompt tokens, spectrogram {f.Bins}x{f.Frames}"
                        : $"ssl features {string.Join('x', f.SslShape.Skip(1))}";
                    await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"Enrolled '{parse.GetValue(name)}' in {result.Folder} in {watch.Elapsed.TotalSeconds:F1} s: {r.SpeechSeconds:F1} s of speech " +
                        $"({r.TrimStartSeconds:F2}-{r.TrimEndSeconds:F2} s of {r.SourceSeconds:F1} s at {r.SourceRate} Hz), loudness {r.MeasuredLufs:F1} LUFS " +
                        $"{(r.GainDb >= 0 ? "+" : "")}{r.GainDb:F1} dB, {f.ReferencePhoneIds.Length} reference phones, {detail}" +
                        $"; features cached in {Path.Combine(result.Folder, SpeakerCache.FolderName)}.")).ConfigureAwait(false);
                    await WarnIfRefusedAsync(services.GetRequiredService<IOptions<VoicesOptions>>().Value, parse.GetValue(bundle)!, result.Folder).ConfigureAwait(false);
                    return CommandLine.Ok;
                }
                catch (Exception e) when (e is EnrollmentException or ReferenceClipException or VoiceLoadException or WavFormatException or InvalidDataException or IOException)
                {
                    return Verb.Fail(CommandLine.Failed, e.Message);
                }
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// A bundle outside the voices folder is refused when the voice loads unless it is allowed
    /// (<c>Voices:BundleDirectories</c>, <c>Voices:AllowPathsOutside</c>): say so now, not at the next start.
    /// </summary>
    private static async Task WarnIfRefusedAsync(VoicesOptions options, string bundle, string voiceFolder)
    {
        var paths = new VoicePaths(options.Directory, options.BundleDirectories, options.AllowPathsOutside);
        try
        {
            paths.Check(Path.GetFullPath(bundle), Path.Combine(voiceFolder, "voice.json"), bundle: true);
        }
        catch (VoiceLoadException)
        {
            await Console.Error.WriteLineAsync(
                $"edgevoice: warning: the bundle {Path.GetFullPath(bundle)} lies outside the voices folder; the voice loads only once " +
                $"its folder is in Voices:BundleDirectories (for example --Voices:BundleDirectories:0={Path.GetFullPath(bundle).TrimEnd('/')}) " +
                "or the bundle is moved into the voices folder.").ConfigureAwait(false);
        }
    }
}
