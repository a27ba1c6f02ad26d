namespace EdgeVoice.Telemetry;

/// <summary>Count and nearest-rank percentiles of one measure over a window.</summary>
internal sealed record Summary(int Count, double P50, double P95, double P99, double Max)
{
    public static Summary Of(List<double> values)
    {
        if (values.Count == 0)
        {
            return new Summary(0, 0, 0, 0, 0);
        }

        values.Sort();
        return new Summary(values.Count, Rank(values, 0.50), Rank(values, 0.95), Rank(values, 0.99), values[^1]);
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    private static double Rank(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>
/// The finished requests of the current telemetry window, per voice; <see cref="Take"/> summarises
/// them and starts a new window. Holds the raw values (a window of a minute holds few requests).
/// </summary>
internal sealed class TelemetryWindow
{
    private readonly Lock _gate = new();
    private Dictionary<string, VoiceWindow> _voices = new(StringComparer.Ordinal);

    public void Add(string voice, double timeToFirstAudioMs, double queueMs, double realTimeFactor, double totalMs)
    {
        lock (_gate)
        {
            if (!_voices.TryGetValue(voice, out var window))
            {
                _voices[voice] = window = new VoiceWindow();
            }

            window.TimeToFirstAudioMs.Add(timeToFirstAudioMs);
            window.QueueMs.Add(queueMs);
            window.RealTimeFactor.Add(realTimeFactor);
            window.TotalMs.Add(totalMs);
        }
    }

    public Dictionary<string, VoiceSummary> Take()
    {
        Dictionary<string, VoiceWindow> taken;
        lock (_gate)
        {
            taken = _voices;
            _voices = new Dictionary<string, VoiceWindow>(StringComparer.Ordinal);
        }

        return taken.ToDictionary(
            v => v.Key,
            v => new VoiceSummary(Summary.Of(v.Value.TimeToFirstAudioMs), Summary.Of(v.Value.QueueMs), Summary.Of(v.Value.RealTimeFactor), Summary.Of(v.Value.TotalMs)),
            StringComparer.Ordinal);
    }

    private sealed class VoiceWindow
    {
        public List<double> TimeToFirstAudioMs { get; } = [];

        public List<double> QueueMs { get; } = [];

        public List<double> RealTimeFactor { get; } = [];

        public List<double> TotalMs { get; } = [];
    }
}

/// <summary>One voice's window: latencies in milliseconds, real-time factor as a ratio.</summary>
internal sealed record VoiceSummary(Summary TimeToFirstAudioMs, Summary QueueMs, Summary RealTimeFactor, Summary TotalMs);
