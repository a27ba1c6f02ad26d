using EdgeVoice.Audio;

namespace EdgeVoice.Core;

/// <summary>
/// The local speaker, made the first time it is used: a one-shot <c>say --out file.wav</c> or a
/// benchmark takes the pipeline from DI and plays to its own sink, and never opens the sound card or
/// makes the WAV folder. The container owns the real sink and disposes it.
/// </summary>
internal sealed class DeferredSink(Func<IAudioSink> create) : IAudioSink
{
    private readonly Lazy<IAudioSink> _sink = new(create);

    public string Description => _sink.Value.Description;

    public IPlayback Begin(string utteranceId, AudioFormat format) => _sink.Value.Begin(utteranceId, format);

    public void Dispose()
    {
        // The sink belongs to the container, which disposes it.
    }
}
