using System.Text.Json.Serialization;

namespace EdgeVoice.Requests;

/// <summary>The JSON form of a <c>say</c> request; every field but <c>text</c> may be left out.</summary>
internal sealed class SayPayload
{
    public string? Id { get; set; }

    public string? Text { get; set; }

    public string? Voice { get; set; }

    public double? Speed { get; set; }

    public double? Volume { get; set; }

    public string? Priority { get; set; }

    public bool? Interrupt { get; set; }

    public string? Format { get; set; }
}

/// <summary><c>&lt;base&gt;/cancel</c>: the request to cancel; an empty payload cancels what is playing.</summary>
internal sealed class CancelPayload
{
    public string? Id { get; set; }
}

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

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    MaxDepth = 8)]
[JsonSerializable(typeof(SayPayload))]
[JsonSerializable(typeof(CancelPayload))]
internal sealed partial class RequestJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, MaxDepth = 8)]
[JsonSerializable(typeof(HermesSayPayload))]
[JsonSerializable(typeof(HermesSayFinished))]
[JsonSerializable(typeof(HermesError))]
internal sealed partial class HermesJsonContext : JsonSerializerContext;
