using EdgeVoice.Audio.Dsp;
using EdgeVoice.Audio.Wav;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>A reference clip made ready for enrollment: loudness-normalised, silence trimmed, at 16 and 32 kHz.</summary>
internal sealed record PreparedReference(
    float[] At16k,
    float[] At32k,
    int SourceRate,
    double SourceSeconds,
    double MeasuredLufs,
    double GainDb,
    double TrimStartSeconds,
    double TrimEndSeconds)
{
    public double SpeechSeconds => At16k.Length / 16000.0;

    /// <summary>
    /// Reads the clip (any WAV this product reads), averages it to mono, brings it to
    /// <paramref name="targetLufs"/> with its peak below -0.5 dBFS, resamples to 16 and 32 kHz, trims
    /// leading and trailing silence, and checks that 3 to 10 s of speech remain.
    /// </summary>
    public static PreparedReference Prepare(string path, double targetLufs)
    {
        var clip = WavReader.ReadMono(path);
        var gain = Loudness.GainTo(clip.Samples, clip.SampleRate, targetLufs, 0.944f, out var lufs);
        if (double.IsNegativeInfinity(lufs))
        {
            throw new ReferenceClipException(path, "the reference clip is silent");
        }

        var scaled = Array.ConvertAll(clip.Samples, x => x * gain);
        var at16 = Resampler.Resample(scaled, clip.SampleRate, 16000);
        var (start, end) = VoiceActivity.SpeechSpan(at16, 16000);
        if (end <= start)
        {
            throw new ReferenceClipException(path, "no speech was found in the reference clip");
        }

        var seconds = (end - start) / 16000.0;
        if (seconds is < 3 or > 10)
        {
            throw new ReferenceClipException(path,
                $"the reference clip has {seconds:F1} s of speech once silence is trimmed ({clip.Seconds:F1} s in all); GPT-SoVITS needs 3 to 10 s");
        }

        var at32 = Resampler.Resample(scaled, clip.SampleRate, 32000);
        var end32 = Math.Min(at32.Length, end * 2);
        return new PreparedReference(
            at16[start..end], at32[(start * 2)..end32], clip.SampleRate, clip.Seconds, lufs, 20 * Math.Log10(gain), start / 16000.0, end / 16000.0);
    }
}

/// <summary>A reference clip cannot be used; the message names the file and why.</summary>
internal sealed class ReferenceClipException(string path, string reason) : Exception($"{path}: {reason}.");
