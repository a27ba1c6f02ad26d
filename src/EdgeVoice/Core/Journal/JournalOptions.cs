using Microsoft.Extensions.Options;

namespace EdgeVoice.Core.Journal;

/// <summary>The request journal: where accepted requests are kept until they are answered (configuration section <c>Journal</c>).</summary>
internal sealed class JournalOptions
{
    public const string Section = "Journal";

    /// <summary>Keep accepted requests on disk, so a crash or a restart loses none. Off: the queue lives in memory only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Folder of the journal (<c>journal.db</c>). Empty: systemd's <c>STATE_DIRECTORY</c> when it is set
    /// (<c>/var/lib/edgevoice</c> with the unit's <c>StateDirectory=edgevoice</c>), else <c>state</c> in the working directory.
    /// </summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>
    /// <c>normal</c>: a request is in the journal's write-ahead log (the operating system has it) before it is
    /// acknowledged, so it survives any end of EdgeVoice itself (a crash, an out-of-memory kill, a watchdog
    /// restart, SIGTERM); a power cut or a kernel crash may lose those of the last two seconds. <c>full</c>: each
    /// request is on disk (fsync) before it is acknowledged, so it survives a power cut too, at the cost of an
    /// fsync per request (0.3 ms on an idle SSD, tens of milliseconds on a busy disk or an SD card).
    /// </summary>
    public string Synchronous { get; set; } = "normal";

    /// <summary>Largest size of the journal file in megabytes; when it is reached new requests are refused with <c>journal_unavailable</c>.</summary>
    public int MaxSizeMegabytes { get; set; } = 64;

    /// <summary>The journal's folder as configured, or as systemd gives it.</summary>
    public string EffectiveDirectory => Directory is { Length: > 0 } configured ? configured
        : Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state ? state.Split(':')[0]
        : "state";
}

internal sealed class JournalOptionsValidator : IValidateOptions<JournalOptions>
{
    public ValidateOptionsResult Validate(string? name, JournalOptions options)
    {
        var failures = new List<string>();
        if (options.Synchronous is not ("full" or "normal"))
        {
            failures.Add($"Journal:Synchronous must be \"full\" or \"normal\" (got \"{options.Synchronous}\").");
        }

        if (options.MaxSizeMegabytes is < 1 or > 65_536)
        {
            failures.Add($"Journal:MaxSizeMegabytes must be between 1 and 65536 (got {options.MaxSizeMegabytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>What becomes of accepted requests over time (configuration section <c>Requests</c>).</summary>
internal sealed class RequestsOptions
{
    public const string Section = "Requests";

    /// <summary>
    /// A request found in the journal at start that arrived longer ago than this is reported <c>expired</c>
    /// (code <c>replay_too_old</c>) instead of spoken: an announcement minutes late is wrong. 0: no limit.
    /// </summary>
    public int ReplayMaxAgeSeconds { get; set; } = 300;
}

internal sealed class RequestsOptionsValidator : IValidateOptions<RequestsOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestsOptions options) =>
        options.ReplayMaxAgeSeconds < 0
            ? ValidateOptionsResult.Fail($"Requests:ReplayMaxAgeSeconds must be 0 (no limit) or more (got {options.ReplayMaxAgeSeconds}).")
            : ValidateOptionsResult.Success;
}
