namespace EdgeVoice.Tests.Support;

/// <summary>Checks that PCM sounds like speech, within tolerances, rather than comparing bytes.</summary>
internal static class Speech
{
    /// <summary>Root mean square level of the samples, 0 to 32767.</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Share of 20 ms frames that carry sound (RMS above about -40 dBFS).</summary>
    public static double VoicedShare(ReadOnlySpan<short> samples, int sampleRate)
    {
        var frame = sampleRate / 50;
        var frames = samples.Length / frame;
        if (frames == 0)
        {
            return 0;
        }

        var voiced = 0;
        for (var i = 0; i < frames; i++)
        {
            if (Rms(samples.Slice(i * frame, frame)) > 330)
            {
                voiced++;
            }
        }

        return (double)voiced / frames;
    }

    /// <summary>
    /// Asserts that the samples are speech of a plausible length for <paramref name="words"/> words:
    /// not silent, sound in a good share of frames, and 0.15–1.2 s a word (espeak-ng speaks about 0.35 s a word at 175 wpm).
    /// </summary>
    public static void AssertPlausible(ReadOnlySpan<short> samples, int sampleRate, int words)
    {
        var seconds = (double)samples.Length / sampleRate;
        Assert.InRange(seconds, 0.15 * words, (1.2 * words) + 0.5);
        Assert.True(Rms(samples) > 500, $"audio is nearly silent (RMS {Rms(samples):F0})");
        Assert.InRange(VoicedShare(samples, sampleRate), 0.3, 1.0);
    }
}
