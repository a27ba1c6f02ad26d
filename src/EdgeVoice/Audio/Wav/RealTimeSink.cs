namespace EdgeVoice.Audio.Wav;

/// <summary>
/// A sink that takes as long as the audio lasts, like a sound card, around one that does not (WAV
/// files): <c>Audio:WavRealTime</c>, for trying a daemon's queueing, cancel and restart behaviour
/// on a machine without a speaker.
/// </summary>
internal sealed class RealTimeSink(IAudioSink inner, TimeProvider time) : IAudioSink
{
    public string Description => inner.Description + " (real time)";

    public IPlayback Begin(string utteranceId, AudioFormat format) => new Playback(inner.Begin(utteranceId, format), format, time);

    public void Dispose() => inner.Dispose();

    private sealed class Playback(IPlayback inner, AudioFormat format, TimeProvider time) : IPlayback
    {
        private readonly long _start = time.GetTimestamp();
        private long _samples;

        public int Underruns => inner.Underruns;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            inner.Write(samples, cancellationToken);
            _samples += samples.Length;
            var due = TimeSpan.FromSeconds((double)_samples / format.Channels / format.SampleRate);
            var ahead = due - time.GetElapsedTime(_start);
            if (ahead > TimeSpan.Zero && cancellationToken.WaitHandle.WaitOne(ahead))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        public void Finish() => inner.Finish();

        public void Dispose() => inner.Dispose();
    }
}
