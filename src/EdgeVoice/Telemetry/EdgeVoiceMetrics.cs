using System.Diagnostics.Metrics;

namespace EdgeVoice.Telemetry;

/// <summary>
/// Where a metric is recorded: the <c>EdgeVoice</c> meter, with instruments named in OpenTelemetry's
/// style. Exporters (MQTT telemetry, scrape endpoint, OTLP) read this meter; nothing else keeps counts.
/// </summary>
internal sealed class EdgeVoiceMetrics : IDisposable
{
    public const string MeterName = "EdgeVoice";

    /// <summary>Every instrument's name, for exporters and for checking dashboards.</summary>
    public static readonly IReadOnlyList<string> InstrumentNames =
    [
        "tts.time_to_first_audio", "tts.request.queue.duration", "tts.request.duration", "tts.synthesis.duration",
        "tts.synthesis.real_time_factor", "tts.audio.duration", "tts.requests", "tts.queue.depth",
        "tts.playback.underruns", "tts.model.load.duration", "tts.buttons",
    ];

    private readonly Meter _meter;

    public EdgeVoiceMetrics(IMeterFactory meters, Func<int> queueDepth)
    {
        _meter = meters.Create(MeterName);
        TimeToFirstAudio = _meter.CreateHistogram<double>("tts.time_to_first_audio", "s", "From arrival to the first samples handed to the sink");
        QueueDuration = _meter.CreateHistogram<double>("tts.request.queue.duration", "s", "Time a request waited in the queue");
        RequestDuration = _meter.CreateHistogram<double>("tts.request.duration", "s", "From arrival to the last sample played");
        SynthesisDuration = _meter.CreateHistogram<double>("tts.synthesis.duration", "s", "Time the voice took for one chunk");
        RealTimeFactor = _meter.CreateHistogram<double>("tts.synthesis.real_time_factor", "1", "Synthesis time over audio time, per request");
        AudioDuration = _meter.CreateCounter<double>("tts.audio.duration", "s", "Audio produced");
        Requests = _meter.CreateCounter<long>("tts.requests", "{request}", "Requests by outcome");
        Underruns = _meter.CreateCounter<long>("tts.playback.underruns", "{underrun}", "Sound device underruns recovered");
        ModelLoadDuration = _meter.CreateHistogram<double>("tts.model.load.duration", "s", "Time to load a voice's model");
        Buttons = _meter.CreateCounter<long>("tts.buttons", "{press}", "Kiosk button presses, by button and action");
        _meter.CreateObservableGauge("tts.queue.depth", queueDepth, "{request}", "Requests waiting");
    }

    public Histogram<double> TimeToFirstAudio { get; }

    public Histogram<double> QueueDuration { get; }

    public Histogram<double> RequestDuration { get; }

    public Histogram<double> SynthesisDuration { get; }

    public Histogram<double> RealTimeFactor { get; }

    public Counter<double> AudioDuration { get; }

    public Counter<long> Requests { get; }

    public Counter<long> Underruns { get; }

    public Histogram<double> ModelLoadDuration { get; }

    public Counter<long> Buttons { get; }

    /// <summary>Counts one button press (<c>stop</c>/<c>repeat</c>; <c>press</c>, <c>double_press</c>, <c>hold</c>).</summary>
    public void ButtonPressed(string button, string action) =>
        Buttons.Add(1, [new("button", button), new("action", action)]);

    /// <summary>Records a spoken request: its latencies, audio, per-chunk synthesis times and outcome.</summary>
    public void Finished(SpeechMeasurement measurement)
    {
        var voiceTag = new KeyValuePair<string, object?>("voice", measurement.Voice);
        var providerTag = new KeyValuePair<string, object?>("provider", measurement.Provider);
        QueueDuration.Record(measurement.QueueTime.TotalSeconds, voiceTag);
        TimeToFirstAudio.Record((measurement.QueueTime + measurement.TimeToFirstAudio).TotalSeconds, voiceTag, providerTag);
        RequestDuration.Record((measurement.QueueTime + measurement.Total).TotalSeconds, voiceTag, providerTag);
        RealTimeFactor.Record(measurement.RealTimeFactor, voiceTag, providerTag);
        AudioDuration.Add(measurement.Audio.TotalSeconds, voiceTag);
        foreach (var inferenceMs in measurement.ChunkInferenceMs)
        {
            SynthesisDuration.Record(inferenceMs / 1000, voiceTag, providerTag);
        }

        if (measurement.Underruns > 0)
        {
            Underruns.Add(measurement.Underruns);
        }

        Outcome("finished", null, measurement.Protocol, measurement.Voice, measurement.Provider);
    }

    /// <summary>Counts one request's outcome (<c>finished</c>, <c>failed</c>, <c>rejected</c>, <c>cancelled</c>).</summary>
    public void Outcome(string outcome, string? code, string protocol, string? voice, string? provider) =>
        Requests.Add(1, [new("outcome", outcome), new("error.code", code ?? ""), new("protocol", protocol), new("voice", voice ?? ""), new("provider", provider ?? "")]);

    public void Dispose() => _meter.Dispose();
}
