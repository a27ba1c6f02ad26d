using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Telemetry;

/// <summary>The process as a fleet dashboard sees it.</summary>
internal sealed record ProcessFacts(double RssMb, double CpuSeconds, double UptimeSeconds, double? GpuLoadPercent, IReadOnlyDictionary<string, double>? TemperaturesC);

/// <summary>One report on <c>&lt;base&gt;/telemetry</c>.</summary>
internal sealed record TelemetryReport(DateTimeOffset Time, double WindowSeconds, IReadOnlyDictionary<string, VoiceSummary> Voices, ProcessFacts Process);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TelemetryReport))]
internal sealed partial class TelemetryJsonContext : JsonSerializerContext;

/// <summary>A report as published: snake_case JSON, text left readable.</summary>
internal static class TelemetryJson
{
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<TelemetryReport> Report = JsonText.Readable<TelemetryReport>(TelemetryJsonContext.Default);

    public static byte[] Serialize(TelemetryReport report) => JsonSerializer.SerializeToUtf8Bytes(report, Report);
}

/// <summary>Every <c>Telemetry:IntervalSeconds</c>, publishes the window's per-voice percentiles and the process's facts.</summary>
internal sealed class TelemetryReporter(TelemetryWindow window, IEnumerable<ITelemetryPublisher> publishers, IOptions<TelemetryOptions> options, TimeProvider time) : BackgroundService
{
    private readonly ITelemetryPublisher[] _publishers = [.. publishers];
    private readonly long _started = time.GetTimestamp();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.IntervalSeconds);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var report = new TelemetryReport(time.GetUtcNow(), interval.TotalSeconds, window.Take(), Facts());
                foreach (var publisher in _publishers)
                {
                    publisher.Publish(report);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private ProcessFacts Facts()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessFacts(
            Math.Round(process.WorkingSet64 / 1048576.0, 1),
            Math.Round(process.TotalProcessorTime.TotalSeconds, 2),
            Math.Round(time.GetElapsedTime(_started).TotalSeconds, 1),
            JetsonGpuLoad(),
            Temperatures());
    }

    /// <summary>A Jetson's integrated GPU load (sysfs reports tenths of a percent), when readable.</summary>
    private static double? JetsonGpuLoad()
    {
        foreach (var path in new[] { "/sys/devices/gpu.0/load", "/sys/devices/platform/gpu.0/load", "/sys/devices/platform/17000000.gpu/load" })
        {
            if (File.Exists(path) && double.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var tenths))
            {
                return tenths / 10;
            }
        }

        return null;
    }

    /// <summary>Thermal zones by type (CPU-therm, GPU-therm on a Jetson), in °C, when readable.</summary>
    private static Dictionary<string, double>? Temperatures()
    {
        const string root = "/sys/class/thermal";
        if (!Directory.Exists(root))
        {
            return null;
        }

        var temperatures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var zone in Directory.EnumerateDirectories(root, "thermal_zone*"))
        {
            try
            {
                var type = File.ReadAllText(Path.Combine(zone, "type")).Trim();
                if (double.TryParse(File.ReadAllText(Path.Combine(zone, "temp")).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milli))
                {
                    temperatures[type] = milli / 1000;
                }
            }
            catch (IOException)
            {
                // Some zones cannot be read without privileges.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return temperatures.Count > 0 ? temperatures : null;
    }
}
