using BenchmarkDotNet.Attributes;
using EdgeVoice.Core;
using EdgeVoice.Telemetry;
using EdgeVoice.Text;
using EdgeVoice.Voices.Espeak;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;

namespace EdgeVoice.Benchmarks;

/// <summary>
/// What telemetry costs a request: recording one finished request of five chunks (the meter with
/// the scrape endpoint's listener attached, the telemetry window, the timeline), against the
/// synthesis of one chunk by the cheapest voice, the built-in espeak.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private ServiceProvider _services = null!;
    private EdgeVoiceMetrics _metrics = null!;
    private PrometheusText _exporter = null!;
    private TelemetryWindow _window = null!;
    private SpeechResult _result = null!;
    private EspeakVoice _espeak = null!;
    private TextChunk _chunk = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = _services.GetRequiredService<IMeterFactory>();
        _metrics = new EdgeVoiceMetrics(factory, () => 0);
        _exporter = new PrometheusText(factory);
        _window = new TelemetryWindow();
        _result = new SpeechResult(5, 110_250, 22050, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(5), 0)
        {
            Timeline = new UtteranceTimeline(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(140), TimeSpan.FromSeconds(5)),
            ChunkTimings = [.. Enumerable.Range(0, 5).Select(_ => new EdgeVoice.Core.ChunkTiming(0.05, 5, 1000))],
        };
        var library = new EspeakLibrary();
        _espeak = new EspeakVoice("espeak", "en-us", 175, library);
        _chunk = new TextChunk(0, "Welcome to the central station.", 0, 31, ChunkBoundary.Sentence);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _exporter.Dispose();
        _metrics.Dispose();
        _services.Dispose();
    }

    [Benchmark]
    public void RecordFinishedRequest()
    {
        _metrics.Finished(_result.Measure("espeak", "cpu", "mqtt", TimeSpan.FromMilliseconds(3)));
        _window.Add("espeak", 40, 3, 0.005, 5003);
    }

    [Benchmark]
    public int EspeakChunk() => _espeak.Synthesize(_chunk, CancellationToken.None).Length;
}
