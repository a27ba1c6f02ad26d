using System.Text.Json.Serialization;

namespace EdgeVoice.Core;

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

    /// <summary>RFC 3339 time after which it is not worth saying (reported <c>expired</c> instead).</summary>
    public string? ExpiresAt { get; set; }

    /// <summary>Seconds from its arrival after which it is not worth saying.</summary>
    public double? TtlSeconds { get; set; }
}

/// <summary><c>&lt;base&gt;/cancel</c>: the request to cancel; an empty payload cancels what is playing.</summary>
internal sealed class CancelPayload
{
    public string? Id { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    MaxDepth = 8)]
[JsonSerializable(typeof(SayPayload))]
[JsonSerializable(typeof(CancelPayload))]
internal sealed partial class RequestJsonContext : JsonSerializerContext;
