using System.Text.Json.Serialization;

namespace EdgeVoice.Core;

/// <summary>
/// One message on <c>&lt;base&gt;/events</c>. Only the fields that apply to the event are written;
/// durations are milliseconds, the real-time factor is synthesis time over audio time.
/// </summary>
internal sealed record RequestEvent
{
    public const string Queued = "queued";
    public const string Started = "started";
    public const string Finished = "finished";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Rejected = "rejected";

    /// <summary>Accepted, but its time passed before it could be spoken: not spoken (code <c>expired</c> or <c>replay_too_old</c>).</summary>
    public const string Expired = "expired";

    /// <summary>A device event, about no request: a kiosk button was pressed (<see cref="Button"/>, <see cref="Action"/>).</summary>
    public const string ButtonPressed = "button";

    public string? Id { get; init; }

    public required string Event { get; init; }

    /// <summary>UTC time of the event, ISO 8601.</summary>
    public required DateTimeOffset Time { get; init; }

    public string? Code { get; init; }

    public string? Message { get; init; }

    public string? Voice { get; init; }

    public string? Provider { get; init; }

    public string? Sink { get; init; }

    /// <summary>Requests waiting ahead of this one when it was queued.</summary>
    public int? Position { get; init; }

    public int? Chunks { get; init; }

    public double? QueueMs { get; init; }

    /// <summary>From the start of processing (after the queue) to the first samples handed to the sink.</summary>
    public double? TimeToFirstAudioMs { get; init; }

    /// <summary>Time the voice spent synthesising, all chunks together.</summary>
    public double? SynthesisMs { get; init; }

    /// <summary>From the start of processing to the last sample played.</summary>
    public double? TotalMs { get; init; }

    public double? AudioMs { get; init; }

    public double? RealTimeFactor { get; init; }

    public int? SampleRate { get; init; }

    public int? Underruns { get; init; }

    /// <summary>When each step happened, in milliseconds from the request's arrival (finished only).</summary>
    public RequestTimeline? Timeline { get; init; }

    /// <summary>Each chunk's Text-stage, inference and audio times, in milliseconds (finished only; the first 100).</summary>
    public IReadOnlyList<ChunkTiming>? ChunkTimings { get; init; }

    /// <summary>What was not said as written (an unknown marker, an unsupported SSML element), each once.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>The request was being spoken when EdgeVoice stopped, and is spoken on from the first chunk not fully played.</summary>
    public bool? Resumed { get; init; }

    /// <summary>Which button (<c>stop</c>, <c>repeat</c>); button events only.</summary>
    public string? Button { get; init; }

    /// <summary>What the button did: <c>press</c>, <c>double_press</c> or <c>hold</c>; button events only.</summary>
    public string? Action { get; init; }

    /// <summary>The request the event is about, when known: its front-end and where its replies go. Not serialised.</summary>
    [JsonIgnore]
    public SayRequest? Request { get; init; }

    /// <summary>An event about <paramref name="request"/>: its id, the kind, the time, and where its replies go.</summary>
    public static RequestEvent About(SayRequest request, string kind, DateTimeOffset time, string? code = null, string? message = null) => new()
    {
        Id = string.IsNullOrEmpty(request.Id) ? null : request.Id,
        Event = kind,
        Time = time,
        Code = code,
        Message = message,
        Request = request,
        Resumed = request.Resumed ? true : null,
    };

    /// <summary>The request's last event: nothing more is said about it.</summary>
    [JsonIgnore]
    public bool IsFinal => Event is Finished or Failed or Cancelled or Expired;
}

/// <summary>A request's steps, in milliseconds from its arrival: a dashboard can plot single requests.</summary>
internal sealed record RequestTimeline(
    double Received,
    double Dequeued,
    double FirstChunkReady,
    double FirstPcm,
    double FirstFrameAccepted,
    double AudibleStart,
    double LastSamplePlayed);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RequestEvent))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
