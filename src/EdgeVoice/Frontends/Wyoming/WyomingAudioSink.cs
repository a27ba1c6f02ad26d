using EdgeVoice.Audio;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>
/// Audio for one Wyoming client: each utterance is an <c>audio-start</c>, <c>audio-chunk</c> events of
/// <c>Wyoming:SamplesPerChunk</c> samples of 16-bit PCM, and an <c>audio-stop</c>. A client that reads
/// slowly slows its own synthesis (the connection's send queue is bounded); one that stops reading is dropped.
/// </summary>
internal sealed class WyomingAudioSink(WyomingConnection connection, int samplesPerChunk) : IAudioSink
{
    public string Description => $"wyoming:{connection.Remote}";

    public IPlayback Begin(string utteranceId, AudioFormat format)
    {
        connection.Send(WyomingFrames.AudioStart(format), CancellationToken.None);
        return new Playback(connection, format, samplesPerChunk * format.Channels);
    }

    public void Dispose()
    {
    }

    private sealed class Playback(WyomingConnection connection, AudioFormat format, int chunkSamples) : IPlayback
    {
        private readonly short[] _chunk = new short[chunkSamples];
        private int _filled;
        private bool _stopped;

        public int Underruns => 0;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            while (!samples.IsEmpty)
            {
                var take = Math.Min(samples.Length, _chunk.Length - _filled);
                samples[..take].CopyTo(_chunk.AsSpan(_filled));
                _filled += take;
                samples = samples[take..];
                if (_filled == _chunk.Length)
                {
                    Flush(cancellationToken);
                }
            }
        }

        public void Finish()
        {
            Flush(CancellationToken.None);
            Stop();
        }

        public void Dispose() => Stop();

        private void Flush(CancellationToken cancellationToken)
        {
            if (_filled > 0)
            {
                connection.Send(WyomingFrames.AudioChunk(format, _chunk.AsSpan(0, _filled)), cancellationToken);
                _filled = 0;
            }
        }

        private void Stop()
        {
            if (!_stopped)
            {
                _stopped = true;
                connection.Send(WyomingFrames.AudioStop(), CancellationToken.None);
            }
        }
    }
}
