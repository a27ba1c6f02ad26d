using EdgeVoice.Audio;
using EdgeVoice.Text;

namespace EdgeVoice.Voices.Espeak;

/// <summary>The built-in voice: formant synthesis by libespeak-ng, so a fresh install speaks before any model is copied in.</summary>
internal sealed class EspeakVoice(string name, string espeakVoice, int wordsPerMinute, EspeakLibrary library) : IVoice
{
    public string Name => name;

    public string Engine => "espeak";

    public string Language => espeakVoice;

    public string Provider => "cpu";

    public AudioFormat Format { get; } = AudioFormat.Mono(library.SampleRate);

    public short[] Synthesize(TextChunk chunk, CancellationToken cancellationToken) =>
        library.Synthesize(chunk.Text, espeakVoice, (int)Math.Clamp(wordsPerMinute * chunk.Speed, 80, 450), cancellationToken);
}
