using Microsoft.Extensions.Options;

namespace EdgeVoice.Requests;

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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
