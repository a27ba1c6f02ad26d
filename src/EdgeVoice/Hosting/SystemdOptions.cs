using Microsoft.Extensions.Options;

namespace EdgeVoice.Hosting;

/// <summary>How EdgeVoice talks to systemd (configuration section <c>Systemd</c>); by default what systemd itself sets.</summary>
internal sealed class SystemdOptions
{
    public const string Section = "Systemd";

    /// <summary>The notify socket (systemd sets <c>NOTIFY_SOCKET</c> for <c>Type=notify</c> units).</summary>
    public string? NotifySocket { get; set; } = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");

    /// <summary>The watchdog interval in microseconds (systemd sets <c>WATCHDOG_USEC</c> from <c>WatchdogSec</c>); 0 for none.</summary>
    public long WatchdogMicroseconds { get; set; } =
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var usec) &&
        (Environment.GetEnvironmentVariable("WATCHDOG_PID") is not { } pid || pid == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            ? usec : 0;

    /// <summary>An utterance that makes no progress for this long counts as stuck: the watchdog is no longer fed.</summary>
    public int StallSeconds { get; set; } = 60;
}

internal sealed class SystemdOptionsValidator : IValidateOptions<SystemdOptions>
{
    public ValidateOptionsResult Validate(string? name, SystemdOptions options) =>
        options.StallSeconds < 1 || options.WatchdogMicroseconds < 0
            ? ValidateOptionsResult.Fail($"Systemd:StallSeconds must be at least 1 and Systemd:WatchdogMicroseconds 0 or more (got {options.StallSeconds} and {options.WatchdogMicroseconds}).")
            : ValidateOptionsResult.Success;
}
