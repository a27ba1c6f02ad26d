using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Mqtt.Hermes;

/// <summary>Rhasspy/Snips Hermes compatibility (configuration section <c>Hermes</c>).</summary>
internal sealed class HermesOptions
{
    public const string Section = "Hermes";

    /// <summary>Listen on <c>hermes/tts/say</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The site this daemon speaks for; requests for other sites are left to them.</summary>
    public string SiteId { get; set; } = "default";
}

internal sealed class HermesOptionsValidator : IValidateOptions<HermesOptions>
{
    public ValidateOptionsResult Validate(string? name, HermesOptions options) =>
        string.IsNullOrWhiteSpace(options.SiteId)
            ? ValidateOptionsResult.Fail("Hermes:SiteId must name this site (Rhasspy's default is 'default').")
            : ValidateOptionsResult.Success;
}

/// <summary>The Hermes topics.</summary>
internal static class HermesTopics
{
    public const string SayTopic = "hermes/tts/say";
    public const string SayFinishedTopic = "hermes/tts/sayFinished";
    public const string ErrorTopic = "hermes/error/tts";
}
