using Microsoft.Extensions.Options;

namespace EdgeVoice.Telemetry;

/// <summary>Fleet telemetry (configuration section <c>Telemetry</c>).</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Seconds between reports on <c>&lt;base&gt;/telemetry</c>; 0 turns them off.</summary>
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>Deprecated: <c>Http:Address</c> serves <c>/metrics</c>. Still honoured (with a warning) when <c>Http:Address</c> is not set.</summary>
    public string? MetricsAddress { get; set; }

    /// <summary>OTLP endpoint (<c>http://collector:4318</c>) to push metrics to with OpenTelemetry; empty turns it off.</summary>
    public string? OtlpEndpoint { get; set; }
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (options.IntervalSeconds is < 0 or > 86_400)
        {
            failures.Add($"Telemetry:IntervalSeconds must be between 0 (off) and 86400 (got {options.IntervalSeconds}).");
        }

        if (!string.IsNullOrWhiteSpace(options.MetricsAddress) &&
            (!Uri.TryCreate("http://" + options.MetricsAddress, UriKind.Absolute, out var uri) || uri.Port <= 0 || uri.AbsolutePath != "/"))
        {
            failures.Add($"Telemetry:MetricsAddress must be HOST:PORT, such as 127.0.0.1:9464 (got '{options.MetricsAddress}').");
        }

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint) && !Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out _))
        {
            failures.Add($"Telemetry:OtlpEndpoint must be a URL such as http://collector:4318 (got '{options.OtlpEndpoint}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
