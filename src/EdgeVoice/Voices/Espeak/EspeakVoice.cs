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

    /// <remarks>
    /// A chunk cut between words (or characters) inside a sentence ends without espeak-ng's end
    /// pause, so the cut adds no pause the text does not have; one that ends at punctuation keeps it.
    /// </remarks>
    public short[] Synthesize(TextChunk chunk, CancellationToken cancellationToken) =>
        library.Synthesize(
            chunk.Text, espeakVoice, (int)Math.Clamp(wordsPerMinute * chunk.Speed, 80, 450), cancellationToken,
            endPause: chunk.Boundary is not (ChunkBoundary.Word or ChunkBoundary.Character));
}
