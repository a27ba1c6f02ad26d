namespace EdgeVoice.Audio.Dsp;

/// <summary>
/// Band-limited sample-rate conversion: a Kaiser-windowed sinc low-pass at the lower of the two
/// Nyquist rates, evaluated as a polyphase filter over the rates' rational ratio (one phase per output
/// position modulo the ratio), so any pair of integer rates converts exactly.
/// </summary>
internal static class Resampler
{
    private const int ZeroCrossings = 16;
    private const double KaiserBeta = 8.6;
    private const double Rolloff = 0.94;

    public static float[] Resample(ReadOnlySpan<float> input, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        if (fromRate == toRate)
        {
            return input.ToArray();
        }

        var gcd = Gcd(fromRate, toRate);
        var up = toRate / gcd;     // phases
        var down = fromRate / gcd; // input step per `up` outputs
        var cutoff = Rolloff * Math.Min(1.0, (double)toRate / fromRate); // in input Nyquist units
        var half = (int)Math.Ceiling(ZeroCrossings / cutoff);
        var taps = 2 * half;
        var kernel = new float[up * taps];
        for (var phase = 0; phase < up; phase++)
        {
            var offset = (double)phase / up; // output position's fraction past input sample `base`
            for (var t = 0; t < taps; t++)
            {
                var x = (t - half + 1) - offset; // input sample (base - half + 1 + t) relative to the output position
                kernel[(phase * taps) + t] = (float)(cutoff * Sinc(cutoff * x) * Kaiser(x / half));
            }
        }

        var outputLength = (int)((long)input.Length * toRate / fromRate);
        var output = new float[outputLength];
        for (var n = 0; n < outputLength; n++)
        {
            var position = (long)n * down;
            var baseIndex = (int)(position / up);
            var phase = (int)(position % up);
            var weights = kernel.AsSpan(phase * taps, taps);
            var sum = 0f;
            var first = baseIndex - half + 1;
            for (var t = 0; t < taps; t++)
            {
                var i = first + t;
                if ((uint)i < (uint)input.Length)
                {
                    sum += input[i] * weights[t];
                }
            }

            output[n] = sum;
        }

        return output;
    }

    private static double Sinc(double x) => Math.Abs(x) < 1e-9 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);

    private static double Kaiser(double x) =>
        Math.Abs(x) > 1 ? 0 : BesselI0(KaiserBeta * Math.Sqrt(1 - (x * x))) / BesselI0(KaiserBeta);

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (var k = 1; k < 50 && term > 1e-12 * sum; k++)
        {
            term *= q / (k * k);
            sum += term;
        }

        return sum;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
