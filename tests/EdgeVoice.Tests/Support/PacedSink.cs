using System.Collections.Concurrent;
using EdgeVoice.Audio;

namespace EdgeVoice.Tests.Support;

/// <summary>
/// A sink that takes as long to play as the audio lasts (times <c>pace</c>) and keeps what it was
/// given, per utterance. ALSA's null device is not paced, so tests of what happens while something
/// plays (priorities, interrupts, cancel) need this; everything else in them is real.
/// </summary>
internal sealed class PacedSink(double pace = 1.0) : IAudioSink
{
    public ConcurrentDictionary<string, List<short>> Played { get; } = new();

    public ConcurrentQueue<string> Order { get; } = new();

    public string Description => "paced";

    public IPlayback Begin(string utteranceId, AudioFormat format)
    {
        Order.Enqueue(utteranceId);
        return new Playback(this, utteranceId, format, pace);
    }

    public void Dispose()
    {
    }

    private sealed class Playback(PacedSink sink, string id, AudioFormat format, double pace) : IPlayback
    {
        private readonly List<short> _samples = sink.Played.GetOrAdd(id, _ => []);

        public int Underruns => 0;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            lock (_samples)
            {
                _samples.AddRange(samples);
            }

            var delay = TimeSpan.FromSeconds(samples.Length * pace / format.SampleRate / format.Channels);
            cancellationToken.WaitHandle.WaitOne(delay);
            cancellationToken.ThrowIfCancellationRequested();
        }

        public void Finish()
        {
        }

        public void Dispose()
        {
        }
    }
}
