namespace EdgeVoice.Pipeline;

/// <summary>What speaking one utterance took.</summary>
internal sealed record SpeechResult(
    int Chunks,
    long Samples,
    int SampleRate,
    TimeSpan TimeToFirstAudio,
    TimeSpan Synthesis,
    TimeSpan Total,
    int Underruns)
{
    public TimeSpan Audio => TimeSpan.FromSeconds((double)Samples / SampleRate);

    /// <summary>Synthesis time over audio time: below 1 is faster than real time.</summary>
    public double RealTimeFactor => Samples == 0 ? 0 : Synthesis.TotalSeconds / Audio.TotalSeconds;
}
