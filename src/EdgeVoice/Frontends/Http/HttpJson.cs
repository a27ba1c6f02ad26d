using System.Text.Json.Serialization;

namespace EdgeVoice.Frontends.Http;

/// <summary>The body of <c>POST /v1/audio/speech</c>, as OpenAI defines it (fields of other servers are ignored).</summary>
internal sealed class SpeechPayload
{
    public string? Model { get; set; }

    public string? Input { get; set; }

    public string? Voice { get; set; }

    public string? ResponseFormat { get; set; }

    public double? Speed { get; set; }

    /// <summary>Accepted and ignored: EdgeVoice's voices take no style prompt.</summary>
    public string? Instructions { get; set; }

    public string? StreamFormat { get; set; }
}

/// <summary>OpenAI's error shape: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal sealed record ErrorBody(ErrorDetail Error);

internal sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);

internal sealed record VoiceEntry(string Id, string Name, string Engine, string Language, int SampleRate, string Provider, bool Default);

internal sealed record VoiceList(IReadOnlyList<VoiceEntry> Voices, string Default, IReadOnlyDictionary<string, string> Aliases);

internal sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);

internal sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

/// <summary>The answer to <c>POST /v1/say</c>, <c>/v1/cancel</c> and <c>/v1/stop</c>.</summary>
internal sealed record MirrorAnswer(string Status, string? Id = null, int? Cancelled = null);

internal sealed record AudioDelta(string Type, string Audio);

internal sealed record AudioDone(string Type, SpeechUsage Usage);

internal sealed record SpeechUsage(int InputTokens, int OutputTokens, int TotalTokens);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 8)]
[JsonSerializable(typeof(SpeechPayload))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(VoiceList))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(MirrorAnswer))]
[JsonSerializable(typeof(AudioDelta))]
[JsonSerializable(typeof(AudioDone))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;

/// <summary>The error body keeps <c>param</c> and <c>code</c> even when null, as OpenAI's does.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;
