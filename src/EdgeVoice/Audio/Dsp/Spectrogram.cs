using System.Numerics;

namespace EdgeVoice.Audio.Dsp;

/// <summary>
/// The linear magnitude spectrogram GPT-SoVITS conditions on (its <c>spectrogram_torch</c>): reflect
/// padding of (n_fft - hop) / 2 on both sides, frames of n_fft every hop samples with no centring, a
/// periodic Hann window, one-sided FFT, magnitude sqrt(re² + im² + 1e-8). Laid out [bins, frames].
/// </summary>
internal static class Spectrogram
{
    public static float[] Magnitude(ReadOnlySpan<float> audio, int fftSize, int hop, out int frames)
    {
        if (!BitOperations.IsPow2(fftSize) || hop <= 0 || hop > fftSize)
        {
            throw new ArgumentException($"an FFT of {fftSize} with hop {hop} is not supported (the FFT size must be a power of two)");
        }

        var pad = (fftSize - hop) / 2;
        if (audio.Length <= pad)
        {
            throw new ArgumentException($"{audio.Length} samples are too few for a spectrogram (more than {pad} needed)");
        }

        var padded = new float[audio.Length + (2 * pad)];
        for (var i = 0; i < padded.Length; i++)
        {
            var j = i - pad;
            j = j < 0 ? -j : j >= audio.Length ? (2 * (audio.Length - 1)) - j : j; // reflect, edge not repeated
            padded[i] = audio[j];
        }

        frames = ((padded.Length - fftSize) / hop) + 1;
        var bins = (fftSize / 2) + 1;
        var window = new float[fftSize];
        for (var i = 0; i < fftSize; i++)
        {
            window[i] = (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * i / fftSize)));
        }

        var result = new float[bins * frames];
        var buffer = new Complex[fftSize];
        for (var f = 0; f < frames; f++)
        {
            for (var i = 0; i < fftSize; i++)
            {
                buffer[i] = new Complex(padded[(f * hop) + i] * window[i], 0);
            }

            Fft.Forward(buffer);
            for (var b = 0; b < bins; b++)
            {
                var c = buffer[b];
                result[(b * frames) + f] = (float)Math.Sqrt((c.Real * c.Real) + (c.Imaginary * c.Imaginary) + 1e-8);
            }
        }

        return result;
    }
}

/// <summary>In-place iterative radix-2 FFT.</summary>
internal static class Fft
{
    public static void Forward(Span<Complex> data)
    {
        var n = data.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (data[i], data[j]) = (data[j], data[i]);
            }
        }

        for (var length = 2; length <= n; length <<= 1)
        {
            var angle = -2 * Math.PI / length;
            var step = new Complex(Math.Cos(angle), Math.Sin(angle));
            for (var start = 0; start < n; start += length)
            {
                var w = Complex.One;
                for (var k = 0; k < length / 2; k++)
                {
                    var even = data[start + k];
                    var odd = data[start + k + (length / 2)] * w;
                    data[start + k] = even + odd;
                    data[start + k + (length / 2)] = even - odd;
                    w *= step;
                }
            }
        }
    }
}
