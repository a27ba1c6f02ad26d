using EdgeVoice.Audio;
using EdgeVoice.Text;

namespace EdgeVoice.Voices;

/// <summary>A voice turns one chunk of text into PCM.</summary>
internal interface IVoice
{
    /// <summary>The name requests use to pick this voice.</summary>
    string Name { get; }

    /// <summary>The engine behind it: <c>espeak</c>, <c>piper</c>, <c>gpt-sovits</c>.</summary>
    string Engine { get; }

    /// <summary>Language of the voice, as a BCP 47 tag or the engine's own code.</summary>
    string Language { get; }

    /// <summary>Where the voice computes (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>).</summary>
    string Provider { get; }

    AudioFormat Format { get; }

    /// <summary>How the voice loaded: its provider, the providers passed over and why, its engine cache.</summary>
    VoiceLoadReport LoadReport => new(Provider, [], VoiceLoadReport.NoEngineCache);

    /// <summary>Synthesises one chunk. Throws <see cref="SynthesisException"/> when the engine fails.</summary>
    short[] Synthesize(TextChunk chunk, CancellationToken cancellationToken);

    /// <summary>
    /// Synthesises one chunk in pieces, each returned as soon as it is made, so playback can start
    /// before the chunk is finished. Voices that cannot stream return the whole chunk as one piece.
    /// </summary>
    IEnumerable<short[]> SynthesizePieces(TextChunk chunk, CancellationToken cancellationToken) => [Synthesize(chunk, cancellationToken)];
}

/// <summary>A voice failed to turn a chunk into audio.</summary>
internal sealed class SynthesisException : Exception
{
    public SynthesisException(string message)
        : base(message)
    {
    }

    public SynthesisException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A voice in the voices folder cannot be used; the message names the file and the problem.</summary>
internal sealed class VoiceLoadException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string Path => path;
}
