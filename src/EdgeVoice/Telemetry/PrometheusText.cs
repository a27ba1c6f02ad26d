using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace EdgeVoice.Telemetry;

/// <summary>
/// The <c>EdgeVoice</c> meter in Prometheus's text format: counters as <c>_total</c>, gauges as they
/// are, histograms with fixed buckets. Names follow OpenTelemetry's Prometheus mapping: dots become
/// underscores and the unit is a suffix (<c>tts.time_to_first_audio</c> in seconds becomes
/// <c>tts_time_to_first_audio_seconds</c>).
/// </summary>
internal sealed class PrometheusText : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly double[] RatioBuckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();

    public PrometheusText(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EdgeVoiceMetrics.MeterName && instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The name an instrument has on the scrape endpoint.</summary>
    public static string NameOf(string instrument, string? unit, bool counter)
    {
        var name = instrument.Replace('.', '_');
        name += unit switch
        {
            "s" => "_seconds",
            "1" => "_ratio",
            _ => "",
        };
        return counter ? name + "_total" : name;
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = group.Key;
            var counter = instrument is Counter<double> or Counter<long>;
            var histogram = instrument is Histogram<double>;
            var name = NameOf(instrument.Name, instrument.Unit, counter);
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {instrument.Description}\n");
            text.Append(CultureInfo.InvariantCulture, $"# TYPE {name} {(counter ? "counter" : histogram ? "histogram" : "gauge")}\n");
            foreach (var (key, series) in group.OrderBy(g => g.Key.Labels, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (!histogram)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{name}{Braces(key.Labels)} {Number(series.Sum)}\n");
                        continue;
                    }

                    for (var i = 0; i < series.Bounds.Length; i++)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{Braces(Join(key.Labels, $"le=\"{Number(series.Bounds[i])}\""))} {series.Buckets[i]}\n");
                    }

                    text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{Braces(Join(key.Labels, "le=\"+Inf\""))} {series.Count}\n");
                    text.Append(CultureInfo.InvariantCulture, $"{name}_sum{Braces(key.Labels)} {Number(series.Sum)}\n");
                    text.Append(CultureInfo.InvariantCulture, $"{name}_count{Braces(key.Labels)} {series.Count}\n");
                }
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new StringBuilder();
        foreach (var tag in tags)
        {
            if (labels.Length > 0)
            {
                labels.Append(',');
            }

            labels.Append(tag.Key.Replace('.', '_')).Append("=\"").Append(Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture))).Append('"');
        }

        var series = _series.GetOrAdd((instrument, labels.ToString()), _ => new Series(instrument.Unit == "1" ? RatioBuckets : SecondsBuckets));
        lock (series)
        {
            if (instrument is ObservableGauge<int> or ObservableGauge<long> or ObservableGauge<double>)
            {
                series.Sum = value; // a gauge is its latest value
                return;
            }

            series.Sum += value;
            series.Count++;
            for (var i = 0; i < series.Bounds.Length; i++)
            {
                if (value <= series.Bounds[i])
                {
                    series.Buckets[i]++;
                }
            }
        }
    }

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Join(string labels, string more) => labels.Length == 0 ? more : labels + "," + more;

    private static string Number(double value) => value.ToString("G17", CultureInfo.InvariantCulture);

    private static string Escape(string? value) => (value ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Series(double[] bounds)
    {
        public double[] Bounds => bounds;

        public long[] Buckets { get; } = new long[bounds.Length];

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
