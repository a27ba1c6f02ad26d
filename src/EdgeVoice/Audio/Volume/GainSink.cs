namespace EdgeVoice.Audio.Volume;

/// <summary>The local sink with the device volume's software gain applied (a no-op at full volume or when the card's mixer does it).</summary>
internal sealed class GainSink(IAudioSink inner, Func<double> gain) : IAudioSink
{
    public string Description => inner.Description;

    public IPlayback Begin(string utteranceId, AudioFormat format) => new Playback(inner.Begin(utteranceId, format), gain);

    public void Dispose() => inner.Dispose();

    /// <summary>Scales <paramref name="samples"/> by <paramref name="factor"/> into <paramref name="target"/>.</summary>
    public static void Scale(ReadOnlySpan<short> samples, double factor, Span<short> target)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            target[i] = (short)Math.Clamp(Math.Round(samples[i] * factor), short.MinValue, short.MaxValue);
        }
    }

    private sealed class Playback(IPlayback inner, Func<double> gain) : IPlayback
    {
        private short[] _scratch = [];

        public int Underruns => inner.Underruns;

        public TimeSpan Delay => inner.Delay;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            var factor = gain();
            if (factor >= 1.0)
            {
                inner.Write(samples, cancellationToken);
                return;
            }

            if (_scratch.Length < samples.Length)
            {
                _scratch = new short[samples.Length];
            }

            Scale(samples, factor, _scratch);
            inner.Write(_scratch.AsSpan(0, samples.Length), cancellationToken);
        }

        public void Finish() => inner.Finish();

        public void Dispose() => inner.Dispose();
    }
}
