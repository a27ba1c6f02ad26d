using Microsoft.Extensions.Options;

namespace EdgeVoice.Telemetry;

/// <summary>Fleet telemetry (configuration section <c>Telemetry</c>).</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Seconds between reports on <c>&lt;base&gt;/telemetry</c>; 0 turns them off.</summary>
    public int IntervalSeconds { get; set; } = 60;
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options) =>
        options.IntervalSeconds is < 0 or > 86_400
            ? ValidateOptionsResult.Fail($"Telemetry:IntervalSeconds must be between 0 (off) and 86400 (got {options.IntervalSeconds}).")
            : ValidateOptionsResult.Success;
}
