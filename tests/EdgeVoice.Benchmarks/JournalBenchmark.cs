using System.Diagnostics;
using EdgeVoice.Audio;
using EdgeVoice.Core;
using EdgeVoice.Core.Journal;
using EdgeVoice.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Benchmarks;

/// <summary>
/// What the request journal adds to admission: <c>Admission.Submit</c> timed one request at a time
/// (latency percentiles need every sample, which BenchmarkDotNet does not give), with the journal off,
/// on with <c>synchronous=normal</c> and on with <c>synchronous=full</c>; then a burst of 200 requests
/// into a queue that holds them. The playback lane is not started, so the queue only fills.
/// </summary>
internal static class JournalBenchmark
{
    public static void Run(int count)
    {
        Console.WriteLine($"Admission.Submit, {count} requests each (after 200 warm-up), journal in {Path.GetTempPath()}");
        Console.WriteLine("| journal | requests/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, enabled, synchronous) in new[] { ("off", false, "full"), ("on, synchronous=normal", true, "normal"), ("on, synchronous=full", true, "full") })
        {
            using var host = Host(enabled, synchronous, queueLength: 100_000);
            var admission = host.Services.GetRequiredService<Admission>();
            Submit(admission, 200, "warm");
            var times = Submit(admission, count, "run");
            Array.Sort(times);
            var total = times.Sum();
            Console.WriteLine($"| {name} | {count / total * 1000:F0} | {Percentile(times, 0.50):F3} | {Percentile(times, 0.90):F3} | {Percentile(times, 0.95):F3} | {Percentile(times, 0.99):F3} | {times[^1]:F3} |");
        }

        using (var host = Host(enabled: true, "full", queueLength: 200))
        {
            var admission = host.Services.GetRequiredService<Admission>();
            var replies = new Replies();
            var watch = Stopwatch.StartNew();
            var accepted = 0;
            for (var i = 0; i < 200; i++)
            {
                accepted += admission.Submit(Request($"burst-{i}", replies), "burst") == AdmissionResult.Accepted ? 1 : 0;
            }

            Console.WriteLine($"Burst of 200 (Limits:QueueLength=200, RequestsPerSecond=0, synchronous=full): {accepted} accepted, " +
                $"{replies.Refused.Count(c => c == ErrorCodes.QueueFull)} queue_full, in {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
    }

    private static double[] Submit(Admission admission, int count, string prefix)
    {
        var replies = new Replies();
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var request = Request($"{prefix}-{i}", replies);
            var started = Stopwatch.GetTimestamp();
            if (admission.Submit(request, "bench") != AdmissionResult.Accepted)
            {
                throw new InvalidOperationException($"request {i} was refused: {string.Join(", ", replies.Refused)}");
            }

            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return times;
    }

    private static SayRequest Request(string id, Replies replies) =>
        new(id, "The train to the city leaves from platform four in five minutes.", null, Stopwatch.GetTimestamp()) { Replies = replies, CallerId = true, Frontend = "mqtt" };

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static IHost Host(bool enabled, string synchronous, int queueLength)
    {
        var directory = Path.Combine(Path.GetTempPath(), "edgevoice-journal-bench", Guid.NewGuid().ToString("N"));
        var builder = EdgeVoiceHost.CreateBuilder([], new Dictionary<string, string?>
        {
            ["Voices:Directory"] = Path.Combine(Path.GetTempPath(), "edgevoice-no-voices"),
            ["Journal:Enabled"] = enabled ? "true" : "false",
            ["Journal:Directory"] = directory,
            ["Journal:Synchronous"] = synchronous,
            ["Limits:QueueLength"] = queueLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Limits:RequestsPerSecond"] = "0",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAudioSink>(new NullSink());
        return builder.Build();
    }

    private sealed class Replies : IDurableReplies
    {
        public List<string> Refused { get; } = [];

        public string Route => """{"response_topic":"bench/replies"}""";

        public void Publish(RequestEvent requestEvent)
        {
            if (requestEvent.Event == RequestEvent.Rejected)
            {
                Refused.Add(requestEvent.Code ?? "?");
            }
        }
    }

    private sealed class NullSink : IAudioSink
    {
        public string Description => "none";

        public IPlayback Begin(string utteranceId, AudioFormat format) => throw new InvalidOperationException("the benchmark plays nothing");

        public void Dispose()
        {
        }
    }
}
