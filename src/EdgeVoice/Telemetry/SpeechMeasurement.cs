namespace EdgeVoice.Telemetry;

/// <summary>What Telemetry records of one spoken request: its labels and its figures.</summary>
/// <param name="Voice">The voice's name.</param>
/// <param name="Provider">The execution provider it ran on.</param>
/// <param name="Protocol">The front-end that accepted it (<c>mqtt</c>, <c>hermes</c>, …).</param>
/// <param name="QueueTime">Arrival to the start of processing.</param>
/// <param name="TimeToFirstAudio">Start of processing to the first samples handed to the sink.</param>
/// <param name="Total">Start of processing to the last sample played.</param>
/// <param name="Audio">Audio produced.</param>
/// <param name="RealTimeFactor">Synthesis time over audio time.</param>
/// <param name="ChunkInferenceMs">Each chunk's inference time, in milliseconds.</param>
/// <param name="Underruns">Sound device underruns recovered.</param>
internal sealed record SpeechMeasurement(
    string Voice,
    string Provider,
    string Protocol,
    TimeSpan QueueTime,
    TimeSpan TimeToFirstAudio,
    TimeSpan Total,
    TimeSpan Audio,
    double RealTimeFactor,
    IReadOnlyList<double> ChunkInferenceMs,
    int Underruns);

/// <summary>Where the periodic telemetry report goes (the MQTT front-end's <c>&lt;base&gt;/telemetry</c>).</summary>
internal interface ITelemetryPublisher
{
    void Publish(TelemetryReport report);
}
