using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using EdgeVoice.Telemetry;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Tests.Telemetry;

public sealed class TelemetryWindowTests
{
    [Fact]
    public void Summary_OfOneToAHundred_InAnyOrder_IsTheNearestRankPercentiles()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).OrderBy(_ => Random.Shared.Next()).ToList();

        var summary = Summary.Of(values);

        Assert.Equal(new Summary(100, 50, 95, 99, 100), summary);
    }

    [Theory]
    [InlineData(new double[] { 7 }, 7, 7, 7, 7)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 5, 10, 10, 10)]
    [InlineData(new double[] { 10, 10, 10, 10, 1000 }, 10, 1000, 1000, 1000)]
    public void Summary_SmallAndSkewedWindows(double[] values, double p50, double p95, double p99, double max) =>
        Assert.Equal(new Summary(values.Length, p50, p95, p99, max), Summary.Of([.. values]));

    [Fact]
    public void Window_IsPerVoice_AndStartsAfreshAfterEachTake()
    {
        var window = new TelemetryWindow();
        for (var i = 1; i <= 20; i++)
        {
            window.Add("espeak", i, 0, 0.01, i);
        }

        window.Add("piper", 300, 5, 0.2, 400);

        var first = window.Take();
        var second = window.Take();

        Assert.Equal(20, first["espeak"].TimeToFirstAudioMs.Count);
        Assert.Equal((10, 19, 20), (first["espeak"].TimeToFirstAudioMs.P50, first["espeak"].TimeToFirstAudioMs.P95, first["espeak"].TimeToFirstAudioMs.Max));
        Assert.Equal(300, first["piper"].TimeToFirstAudioMs.P99);
        Assert.Empty(second);
    }
}

/// <summary>Telemetry from the running daemon, on a real Mosquitto.</summary>
[Collection(MosquittoGroup.Name)]
public sealed class TelemetryDaemonTests(MosquittoBroker broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Finished_CarriesItsTimeline_InstrumentsAreRecorded_AndTheWindowIsReported()
    {
        await using var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Broker"] = broker.Address,
            ["Audio:Sink"] = "wav:" + Path.Combine(Path.GetTempPath(), "edgevoice-telemetry-wav"),
            ["Telemetry:IntervalSeconds"] = "1",
        });
        var recorded = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        var factory = daemon.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == EdgeVoiceMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => recorded.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => recorded.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.Start();

        await using var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, $"{daemon.BaseTopic}/#");
        await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", Patience);
        await client.PublishAsync($"{daemon.BaseTopic}/say", """{"id": "t1", "text": "First sentence. Second sentence."}""");
        var finished = JsonDocument.Parse(await client.WaitForAsync($"{daemon.BaseTopic}/events", t => t.Contains("\"finished\"", StringComparison.Ordinal), Patience)).RootElement;

        // The timeline runs forward, from arrival to the last sample.
        var timeline = finished.GetProperty("timeline");
        string[] steps = ["received", "dequeued", "first_chunk_ready", "first_pcm", "first_frame_accepted", "audible_start", "last_sample_played"];
        var times = steps.Select(step => timeline.GetProperty(step).GetDouble()).ToList();
        Assert.Equal(0, times[0]);
        Assert.Equal(times.Order(), times);
        Assert.Equal(finished.GetProperty("chunks").GetInt32(), finished.GetProperty("chunk_timings").GetArrayLength());
        Assert.All(finished.GetProperty("chunk_timings").EnumerateArray(), c => Assert.True(c.GetProperty("audio_ms").GetDouble() > 0));

        // The instruments saw it.
        Assert.Equal(1, recorded["tts.requests"]);
        Assert.True(recorded["tts.time_to_first_audio"] > 0);
        Assert.True(recorded["tts.audio.duration"] > 0.5);
        Assert.True(recorded.ContainsKey("tts.synthesis.duration"));
        Assert.All(recorded.Keys, name => Assert.Contains(name, EdgeVoiceMetrics.InstrumentNames));

        // And the window reports it, per voice.
        var report = JsonDocument.Parse(await client.WaitForAsync($"{daemon.BaseTopic}/telemetry", t => t.Contains("\"espeak\"", StringComparison.Ordinal), Patience)).RootElement;
        var espeak = report.GetProperty("voices").GetProperty("espeak");
        Assert.Equal(1, espeak.GetProperty("time_to_first_audio_ms").GetProperty("count").GetInt32());
        Assert.Equal(finished.GetProperty("time_to_first_audio_ms").GetDouble(), espeak.GetProperty("time_to_first_audio_ms").GetProperty("max").GetDouble(), 0.5);
        Assert.True(report.GetProperty("process").GetProperty("rss_mb").GetDouble() > 10);
    }
}

/// <summary>The scrape endpoint, read over HTTP as Prometheus would.</summary>
[Collection(MosquittoGroup.Name)]
public sealed class ScrapeEndpointTests(MosquittoBroker broker)
{
    [Fact]
    public async Task Metrics_Healthz_Readyz_AnswerOnTheConfiguredPort()
    {
        var port = MosquittoBroker.FreePort();
        await using var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Broker"] = broker.Address,
            ["Audio:Sink"] = "wav:" + Path.Combine(Path.GetTempPath(), "edgevoice-scrape-wav"),
            ["Telemetry:MetricsAddress"] = $"127.0.0.1:{port}",
        });
        await using var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, $"{daemon.BaseTopic}/#");
        await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", TimeSpan.FromSeconds(30));
        await client.PublishAsync($"{daemon.BaseTopic}/say", "Hello.");
        await client.PublishAsync($"{daemon.BaseTopic}/say", "");
        await client.WaitForAsync($"{daemon.BaseTopic}/events", t => t.Contains("\"finished\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var metrics = await http.GetStringAsync("/metrics");
        var health = await http.GetAsync("/healthz");
        var ready = await http.GetAsync("/readyz");
        var missing = await http.GetAsync("/nothing");

        Assert.Contains("# TYPE tts_requests_total counter", metrics, StringComparison.Ordinal);
        Assert.Matches("tts_requests_total\\{outcome=\"finished\",[^}]*voice=\"espeak\"[^}]*\\} 1", metrics);
        Assert.Matches("tts_requests_total\\{outcome=\"rejected\",error_code=\"bad_request\"[^}]*\\} 1", metrics);
        Assert.Contains("# TYPE tts_time_to_first_audio_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Matches("tts_time_to_first_audio_seconds_bucket\\{[^}]*le=\"\\+Inf\"\\} 1", metrics);
        Assert.Contains("tts_queue_depth 0", metrics, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}

/// <summary>OTLP export, received by a stand-in collector on loopback (an OTLP/HTTP endpoint that records what it is sent).</summary>
[Collection(MosquittoGroup.Name)]
public sealed class OtlpTests(MosquittoBroker broker)
{
    [Fact]
    public async Task Otlp_Configured_PushesTheEdgeVoiceMeter()
    {
        var port = MosquittoBroker.FreePort();
        using var collector = new System.Net.HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new TaskCompletionSource<(string Path, byte[] Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                var context = await collector.GetContextAsync();
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                context.Response.StatusCode = 200;
                context.Response.Close();
                if (System.Text.Encoding.UTF8.GetString(body.ToArray()).Contains("tts.requests", StringComparison.Ordinal))
                {
                    received.TrySetResult((context.Request.Url!.AbsolutePath, body.ToArray()));
                }
            }
        });

        await using (var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Broker"] = broker.Address,
            ["Audio:Sink"] = "wav:" + Path.Combine(Path.GetTempPath(), "edgevoice-otlp-wav"),
            ["Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{port}/",
            ["Telemetry:IntervalSeconds"] = "1",
        }))
        await using (var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, $"{daemon.BaseTopic}/#"))
        {
            await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", TimeSpan.FromSeconds(30));
            await client.PublishAsync($"{daemon.BaseTopic}/say", "Hello.");
            await client.WaitForAsync($"{daemon.BaseTopic}/events", t => t.Contains("\"finished\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

            var (path, body) = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var text = System.Text.Encoding.UTF8.GetString(body);

            Assert.Equal("/v1/metrics", path);
            Assert.Contains(EdgeVoiceMetrics.MeterName, text, StringComparison.Ordinal);
            Assert.Contains("tts.time_to_first_audio", text, StringComparison.Ordinal);
        }

        collector.Stop();
    }
}
