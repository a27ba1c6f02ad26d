using System.Text.Json.Serialization;

namespace EdgeVoice.Frontends.Mqtt.Hermes;

/// <summary>Rhasspy/Snips Hermes <c>hermes/tts/say</c>. Hermes senders add fields of their own, so unknown ones are allowed.</summary>
internal sealed class HermesSayPayload
{
    public string? Text { get; set; }

    public string? SiteId { get; set; }

    public string? Lang { get; set; }

    public string? Id { get; set; }

    public string? SessionId { get; set; }

    public double? Volume { get; set; }
}

/// <summary><c>hermes/tts/sayFinished</c>.</summary>
internal sealed record HermesSayFinished(string? Id, string SiteId, string? SessionId);

/// <summary><c>hermes/error/tts</c>.</summary>
internal sealed record HermesError(string Error, string? Context, string SiteId, string? SessionId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 8)]
[JsonSerializable(typeof(HermesSayPayload))]
[JsonSerializable(typeof(HermesSayFinished))]
[JsonSerializable(typeof(HermesError))]
internal sealed partial class HermesJsonContext : JsonSerializerContext;
