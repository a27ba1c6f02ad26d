namespace EdgeVoice.Audio.Dsp;

/// <summary>
/// Finds where speech begins and ends in a clip: 20 ms frames whose energy is well above the clip's
/// noise floor (and not far below its loudest frame) are voiced; speech starts at the first run of
/// three voiced frames and ends after the last, with a margin kept on both sides.
/// </summary>
internal static class VoiceActivity
{
    private const double FrameSeconds = 0.02;
    private const double MarginSeconds = 0.1;
    private const int MinRun = 3;

    /// <summary>The voiced span as [Start, End) sample indices; empty (0, 0) when nothing is voiced.</summary>
    public static (int Start, int End) SpeechSpan(ReadOnlySpan<float> samples, int sampleRate)
    {
        var frame = Math.Max(1, (int)(FrameSeconds * sampleRate));
        var count = samples.Length / frame;
        if (count == 0)
        {
            return (0, 0);
        }

        var energy = new double[count];
        for (var f = 0; f < count; f++)
        {
            var sum = 0.0;
            foreach (var x in samples.Slice(f * frame, frame))
            {
                sum += x * x;
            }

            energy[f] = 10 * Math.Log10((sum / frame) + 1e-12);
        }

        var sorted = energy.Order().ToArray();
        var floor = sorted[count / 10];
        var loudest = sorted[^1];
        var threshold = Math.Max(floor + 12, loudest - 40);
        bool Voiced(int f) => energy[f] > threshold;

        int first = -1, last = -1;
        for (var f = 0; f + MinRun <= count && first < 0; f++)
        {
            if (Enumerable.Range(f, MinRun).All(Voiced))
            {
                first = f;
            }
        }

        for (var f = count - 1; f >= MinRun - 1 && last < 0; f--)
        {
            if (Enumerable.Range(f - MinRun + 1, MinRun).All(Voiced))
            {
                last = f;
            }
        }

        if (first < 0 || last < first)
        {
            return (0, 0);
        }

        var margin = (int)(MarginSeconds * sampleRate);
        return (Math.Max(0, (first * frame) - margin), Math.Min(samples.Length, ((last + 1) * frame) + margin));
    }
}
