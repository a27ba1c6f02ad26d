using EdgeVoice.Telemetry;

namespace EdgeVoice.Core;

/// <summary>One chunk's times: the Text stage, the voice, and the audio it gave.</summary>
internal sealed record ChunkTiming(double TextMs, double InferenceMs, double AudioMs);

/// <summary>When each step of an utterance happened, from the start of its processing.</summary>
internal sealed record UtteranceTimeline(
    TimeSpan FirstChunkReady,
    TimeSpan FirstPcm,
    TimeSpan FirstFrameAccepted,
    TimeSpan AudibleStart,
    TimeSpan LastSamplePlayed);

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
    public UtteranceTimeline? Timeline { get; init; }

    public IReadOnlyList<ChunkTiming> ChunkTimings { get; init; } = [];

    public TimeSpan Audio => TimeSpan.FromSeconds((double)Samples / SampleRate);

    /// <summary>Synthesis time over audio time: below 1 is faster than real time.</summary>
    public double RealTimeFactor => Samples == 0 ? 0 : Synthesis.TotalSeconds / Audio.TotalSeconds;

    /// <summary>What Telemetry records of it, with its labels and the time it waited.</summary>
    public SpeechMeasurement Measure(string voice, string provider, string protocol, TimeSpan queueTime) => new(
        voice, provider, protocol, queueTime, TimeToFirstAudio, Total, Audio, RealTimeFactor, [.. ChunkTimings.Select(c => c.InferenceMs)], Underruns);
}
