namespace EdgeVoice.Audio.Dsp;

/// <summary>
/// Integrated loudness after ITU-R BS.1770-4 (K-weighting, 400 ms blocks with 75 % overlap, the
/// -70 LUFS absolute gate and the -10 LU relative gate), for mono audio at any rate, and a gain that
/// brings a clip to a target loudness without its peak passing a ceiling.
/// </summary>
internal static class Loudness
{
    /// <summary>Integrated loudness in LUFS; <see cref="double.NegativeInfinity"/> for silence or audio shorter than one block.</summary>
    public static double Integrated(ReadOnlySpan<float> samples, int sampleRate)
    {
        var weighted = KWeight(samples, sampleRate);
        var block = (int)(0.4 * sampleRate);
        var step = block / 4;
        if (weighted.Length < block)
        {
            return double.NegativeInfinity;
        }

        var powers = new List<double>();
        for (var start = 0; start + block <= weighted.Length; start += step)
        {
            var sum = 0.0;
            foreach (var x in weighted.AsSpan(start, block))
            {
                sum += x * x;
            }

            powers.Add(sum / block);
        }

        var loud = powers.Where(p => Lufs(p) > -70).ToList();
        if (loud.Count == 0)
        {
            return double.NegativeInfinity;
        }

        var relativeGate = Lufs(loud.Average()) - 10;
        var kept = loud.Where(p => Lufs(p) > relativeGate).ToList();
        return Lufs(kept.Average());
    }

    /// <summary>Linear gain that takes the clip to <paramref name="targetLufs"/>, lowered so the peak stays at or below <paramref name="peakCeiling"/>.</summary>
    public static float GainTo(ReadOnlySpan<float> samples, int sampleRate, double targetLufs, float peakCeiling, out double measuredLufs)
    {
        measuredLufs = Integrated(samples, sampleRate);
        if (double.IsNegativeInfinity(measuredLufs))
        {
            return 1f;
        }

        var gain = Math.Pow(10, (targetLufs - measuredLufs) / 20);
        var peak = 0f;
        foreach (var x in samples)
        {
            peak = Math.Max(peak, Math.Abs(x));
        }

        if (peak * gain > peakCeiling)
        {
            gain = peakCeiling / peak;
        }

        return (float)gain;
    }

    private static double Lufs(double meanSquare) => -0.691 + (10 * Math.Log10(Math.Max(meanSquare, 1e-20)));

    /// <summary>The two K-weighting biquads (high shelf, then high pass) designed for <paramref name="rate"/>.</summary>
    private static float[] KWeight(ReadOnlySpan<float> samples, int rate)
    {
        // Shelf and high-pass parameters that reproduce BS.1770's 48 kHz coefficients at any rate.
        var shelf = HighShelf(1681.974450955533, 3.999843853973347, 0.7071752369554196, rate);
        var highPass = HighPass(38.13547087602444, 0.5003270373238773, rate);
        var output = new float[samples.Length];
        double s1 = 0, s2 = 0, h1 = 0, h2 = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            // Transposed direct form II, both stages.
            var x = (double)samples[i];
            var y = (shelf.B0 * x) + s1;
            s1 = (shelf.B1 * x) - (shelf.A1 * y) + s2;
            s2 = (shelf.B2 * x) - (shelf.A2 * y);
            var z = (highPass.B0 * y) + h1;
            h1 = (highPass.B1 * y) - (highPass.A1 * z) + h2;
            h2 = (highPass.B2 * y) - (highPass.A2 * z);
            output[i] = (float)z;
        }

        return output;
    }

    private readonly record struct Biquad(double B0, double B1, double B2, double A1, double A2);

    /// <summary>libebur128's design of the pre-filter (a high shelf), exact at 48 kHz and matched at other rates.</summary>
    private static Biquad HighShelf(double frequency, double gainDb, double q, int rate)
    {
        var k = Math.Tan(Math.PI * frequency / rate);
        var vh = Math.Pow(10, gainDb / 20);
        var vb = Math.Pow(vh, 0.4996667741545416);
        var a0 = 1 + (k / q) + (k * k);
        return new Biquad(
            (vh + (vb * k / q) + (k * k)) / a0,
            2 * ((k * k) - vh) / a0,
            (vh - (vb * k / q) + (k * k)) / a0,
            2 * ((k * k) - 1) / a0,
            (1 - (k / q) + (k * k)) / a0);
    }

    /// <summary>libebur128's RLB high pass (numerator 1, -2, 1).</summary>
    private static Biquad HighPass(double frequency, double q, int rate)
    {
        var k = Math.Tan(Math.PI * frequency / rate);
        var a0 = 1 + (k / q) + (k * k);
        return new Biquad(1, -2, 1, 2 * ((k * k) - 1) / a0, (1 - (k / q) + (k * k)) / a0);
    }
}
