using Microsoft.Extensions.Options;

namespace EdgeVoice.Voices;

/// <summary>Settings of the voices (configuration section <c>Voices</c>).</summary>
internal sealed class VoicesOptions
{
    public const string Section = "Voices";

    /// <summary>Folder holding one sub-folder per installed voice.</summary>
    public string Directory { get; set; } = "voices";

    /// <summary>Voice used when a request names none.</summary>
    public string Default { get; set; } = VoiceRegistry.BuiltInName;

    /// <summary>espeak-ng voice behind the built-in <c>espeak</c> voice.</summary>
    public string EspeakVoice { get; set; } = "en-us";

    /// <summary>Speaking rate of espeak-ng voices, in words per minute.</summary>
    public int EspeakRate { get; set; } = 175;
}

internal sealed class VoicesOptionsValidator : IValidateOptions<VoicesOptions>
{
    public ValidateOptionsResult Validate(string? name, VoicesOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add("Voices:Directory must name a folder.");
        }

        if (string.IsNullOrWhiteSpace(options.Default))
        {
            failures.Add("Voices:Default must name a voice (the built-in one is 'espeak').");
        }

        if (string.IsNullOrWhiteSpace(options.EspeakVoice))
        {
            failures.Add("Voices:EspeakVoice must name an espeak-ng voice (for example 'en-us', 'de' or 'cmn').");
        }

        if (options.EspeakRate is < 80 or > 450)
        {
            failures.Add($"Voices:EspeakRate must be between 80 and 450 words per minute (got {options.EspeakRate}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
