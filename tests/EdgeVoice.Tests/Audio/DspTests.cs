using System.Buffers.Binary;
using EdgeVoice.Audio.Dsp;
using EdgeVoice.Audio.Wav;
using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Audio;

public sealed class DspTests
{
    [Theory]
    [InlineData(1, 8)]
    [InlineData(1, 16)]
    [InlineData(1, 24)]
    [InlineData(1, 32)]
    [InlineData(3, 32)]
    [InlineData(3, 64)]
    [InlineData(0xFFFE, 16)]
    [InlineData(0xFFFE, 24)]
    public void WavReader_ReadsEverySampleFormat_AsTheSameSignal(int tag, int bits)
    {
        var signal = Sine(440, 22050, 0.5, 2205);
        var clip = WavReader.ReadMono(TestWav.Build(tag, bits, 22050, [signal]), "x.wav");

        Assert.Equal(22050, clip.SampleRate);
        Assert.Equal(signal.Length, clip.Samples.Length);
        var tolerance = bits == 8 ? 1.0 / 100 : 1e-4;
        for (var i = 0; i < signal.Length; i++)
        {
            Assert.True(Math.Abs(signal[i] - clip.Samples[i]) < tolerance, $"sample {i}: {signal[i]} read as {clip.Samples[i]}");
        }
    }

    [Fact]
    public void WavReader_AveragesChannels()
    {
        var left = Sine(300, 16000, 0.5, 1600);
        var right = left.Select(x => -x / 2).ToArray();
        var clip = WavReader.ReadMono(TestWav.Build(1, 16, 16000, [left, right]), "stereo.wav");

        Assert.Equal(1600, clip.Samples.Length);
        Assert.InRange(clip.Samples.Max(), 0.12, 0.13); // (0.5 - 0.25) / 2
    }

    [Theory]
    [InlineData("RIFX")]
    [InlineData("short")]
    [InlineData("alaw")]
    [InlineData("nodata")]
    public void WavReader_RejectsWhatItCannotRead_WithTheReason(string damage)
    {
        var good = TestWav.Build(1, 16, 16000, [new float[100]]);
        var bytes = damage switch
        {
            "RIFX" => [.. "RIFX"u8, .. good[4..]],
            "short" => good[..10],
            "alaw" => Patch(good, 20, 6),
            _ => good[..36],
        };

        var error = Assert.Throws<WavFormatException>(() => WavReader.ReadMono(bytes, "clip.wav"));
        Assert.StartsWith("clip.wav: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(damage switch { "alaw" => "not supported", "nodata" => "no data chunk", _ => "not a RIFF WAVE file" }, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(48000, 32000)]
    [InlineData(22050, 16000)]
    [InlineData(16000, 32000)]
    [InlineData(8000, 16000)]
    public void Resampler_KeepsATone_AndTheDuration(int from, int to)
    {
        var input = Sine(1000, from, 0.5, from);
        var output = Resampler.Resample(input, from, to);

        Assert.Equal(to, output.Length);
        var ideal = Sine(1000, to, 0.5, to);
        // Away from the edges the converted tone is the ideal tone at the new rate.
        var error = Enumerable.Range(to / 10, to * 8 / 10).Max(i => Math.Abs(output[i] - ideal[i]));
        Assert.True(error < 0.005, $"largest error {error}");
    }

    [Fact]
    public void Resampler_RemovesWhatTheNewRateCannotHold()
    {
        var output = Resampler.Resample(Sine(10_000, 48000, 0.5, 48000), 48000, 16000);
        var peak = output.Skip(1600).Take(12800).Max(Math.Abs);
        Assert.True(peak < 0.005, $"a 10 kHz tone should be gone at 16 kHz, peak {peak}");
    }

    [Theory]
    [InlineData(48000)]
    [InlineData(16000)]
    [InlineData(44100)]
    public void Loudness_OfAFullScale1kHzSine_IsMinus3Lufs(int rate)
    {
        // BS.1770: a 0 dBFS 1 kHz sine in one channel reads -3.01 LKFS.
        Assert.InRange(Loudness.Integrated(Sine(1000, rate, 1.0, rate * 3), rate), -3.11, -2.91);
    }

    [Fact]
    public void Loudness_GainReachesTheTarget_UnlessThePeakWouldPassTheCeiling()
    {
        var quiet = Sine(1000, 16000, 0.05, 48000);
        var gain = Loudness.GainTo(quiet, 16000, -20, 0.95f, out var measured);
        Assert.InRange(measured, -29.1, -28.9);
        Assert.InRange(Loudness.Integrated(quiet.Select(x => x * gain).ToArray(), 16000), -20.1, -19.9);

        var capped = Loudness.GainTo(quiet, 16000, 0, 0.95f, out _);
        Assert.Equal(0.95f / 0.05f, capped, 2);
        Assert.True(double.IsNegativeInfinity(Loudness.Integrated(new float[16000], 16000)));
    }

    [Fact]
    public void VoiceActivity_FindsSpeechBetweenSilences_WithAMargin()
    {
        var random = new Random(3);
        var clip = new float[4 * 16000];
        for (var i = 0; i < clip.Length; i++)
        {
            clip[i] = (float)((random.NextDouble() - 0.5) * 0.002); // room noise
        }

        var tone = Sine(220, 16000, 0.4, 2 * 16000);
        tone.CopyTo(clip, 16000);

        var (start, end) = VoiceActivity.SpeechSpan(clip, 16000);
        Assert.InRange(start, 16000 - 1600 - 320, 16000 - 1600 + 320);
        Assert.InRange(end, (3 * 16000) + 1600 - 320, (3 * 16000) + 1600 + 320);
        Assert.Equal((0, 0), VoiceActivity.SpeechSpan(new float[16000], 16000));
    }

    [Fact]
    public void Spectrogram_MatchesADirectDft_AndCountsFramesLikeGptSoVits()
    {
        var audio = Sine(500, 32000, 0.5, 32000).Select((x, i) => x + (float)(0.1 * Math.Sin(i * 0.37))).ToArray();
        var spec = Spectrogram.Magnitude(audio, 2048, 640, out var frames);

        Assert.Equal(((32000 + 1408 - 2048) / 640) + 1, frames);
        Assert.Equal(1025 * frames, spec.Length);

        // Frame 10 against a direct DFT of the same windowed, reflect-padded samples.
        const int frame = 10;
        foreach (var bin in new[] { 0, 32, 200, 1024 })
        {
            double re = 0, im = 0;
            for (var n = 0; n < 2048; n++)
            {
                var x = audio[(frame * 640) + n - 704] * (0.5 - (0.5 * Math.Cos(2 * Math.PI * n / 2048)));
                re += x * Math.Cos(2 * Math.PI * bin * n / 2048);
                im -= x * Math.Sin(2 * Math.PI * bin * n / 2048);
            }

            var expected = Math.Sqrt((re * re) + (im * im) + 1e-8);
            Assert.True(Math.Abs(spec[(bin * frames) + frame] - expected) < 1e-3 * Math.Max(1, expected), $"bin {bin}: {spec[(bin * frames) + frame]} vs {expected}");
        }

        // 500 Hz is bin 32 at 32 kHz with 2048 points: the loudest bin of a middle frame.
        var loudest = Enumerable.Range(0, 1025).MaxBy(b => spec[(b * frames) + 20]);
        Assert.Equal(32, loudest);
    }

    private static byte[] Patch(byte[] bytes, int at, ushort value)
    {
        var copy = bytes.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at), value);
        return copy;
    }

    internal static float[] Sine(double hz, int rate, double amplitude, int count) =>
        Enumerable.Range(0, count).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();
}
