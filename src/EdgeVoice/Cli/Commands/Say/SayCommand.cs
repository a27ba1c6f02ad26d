using System.CommandLine;
using EdgeVoice.Audio;
using EdgeVoice.Audio.Wav;
using EdgeVoice.Hosting;
using EdgeVoice.Core;
using EdgeVoice.Voices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Cli.Commands;

/// <summary><c>edgevoice say</c>: one utterance now, without a broker, to the sound card or a WAV file.</summary>
internal static class SayCommand
{
    public static Command Create(string[] settings)
    {
        var flags = new HostFlags("--voices", "--sink");
        var text = new Argument<string?>("text") { Description = "What to say; '-' or nothing reads standard input.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write a WAV file instead of playing." };
        var voice = new Option<string?>("--voice") { Description = "Voice to speak with (default: Voices:Default)." };
        var command = new Command("say", "Speak one text now, without a broker, to the sound card or a WAV file.");
        command.Arguments.Add(text);
        command.Options.Add(output);
        command.Options.Add(voice);
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = await Verb.ReadTextAsync(parse.GetValue(text), cancellationToken).ConfigureAwait(false);
            var builder = EdgeVoiceHost.CreateBuilder(settings, Verb.Quiet(flags.Overrides(parse)));
            return await Verb.WithServicesAsync(builder, async services =>
            {
                var limits = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
                if (string.IsNullOrWhiteSpace(input))
                {
                    return Verb.Fail(CommandLine.Usage, "there is no text to say.");
                }

                if (input.Length > limits.MaxTextChars)
                {
                    return Verb.Fail(CommandLine.Usage, $"the text is {input.Length} characters; the limit is {limits.MaxTextChars} (Limits:MaxTextChars).");
                }

                var voices = services.GetRequiredService<VoiceRegistry>();
                if (!voices.TryLoadOne(parse.GetValue(voice), out var chosen, out var voiceError))
                {
                    return Verb.Fail(CommandLine.Usage, voiceError + ".");
                }

                var file = parse.GetValue(output);
                using var sink = file is null ? services.GetRequiredService<IAudioSink>() : WavFileSink.ToFile(file.FullName);
                var result = await services.GetRequiredService<SpeechPipeline>().SpeakAsync("say", input.Trim(), chosen, sink, cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine(
                    $"edgevoice: {result.Chunks} chunks, {result.Audio.TotalSeconds:F2} s of audio at {result.SampleRate} Hz, " +
                    $"first audio after {result.TimeToFirstAudio.TotalMilliseconds:F0} ms, real-time factor {result.RealTimeFactor:F3} → {sink.Description}");
                return CommandLine.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

}
