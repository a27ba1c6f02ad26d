using Microsoft.Extensions.Options;

namespace EdgeVoice.Core;

/// <summary>What one request may ask for (configuration section <c>Limits</c>).</summary>
internal sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Largest <c>say</c> payload, in bytes.</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>Longest text, in characters.</summary>
    public int MaxTextChars { get; set; } = 20_000;

    /// <summary>Requests waiting to be spoken; one more is rejected with <c>queue_full</c>.</summary>
    public int QueueLength { get; set; } = 64;

    /// <summary>Longest audio one request may produce; the rest is not spoken and the request fails with <c>too_long</c>.</summary>
    public int MaxAudioSeconds { get; set; } = 600;

    /// <summary>Requests a second one client may send, on average (token bucket); 0 turns the limit off.</summary>
    public double RequestsPerSecond { get; set; } = 10;

    /// <summary>Requests one client may send at once before the rate applies.</summary>
    public int Burst { get; set; } = 50;
}

internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = new List<string>();
        if (options.MaxPayloadBytes is < 64 or > 16 * 1024 * 1024)
        {
            failures.Add($"Limits:MaxPayloadBytes must be between 64 and 16777216 (got {options.MaxPayloadBytes}).");
        }

        if (options.MaxTextChars is < 1 or > 10_000_000)
        {
            failures.Add($"Limits:MaxTextChars must be between 1 and 10000000 (got {options.MaxTextChars}).");
        }

        if (options.QueueLength is < 1 or > 100_000)
        {
            failures.Add($"Limits:QueueLength must be between 1 and 100000 (got {options.QueueLength}).");
        }

        if (options.MaxAudioSeconds is < 1 or > 86_400)
        {
            failures.Add($"Limits:MaxAudioSeconds must be between 1 and 86400 (got {options.MaxAudioSeconds}).");
        }

        if (options.RequestsPerSecond < 0 || options.Burst < 1)
        {
            failures.Add($"Limits:RequestsPerSecond must be 0 (off) or more and Limits:Burst at least 1 (got {options.RequestsPerSecond} and {options.Burst}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
