namespace EdgeVoice.Core;

/// <summary>The <c>code</c> of <c>rejected</c> and <c>failed</c> events: part of the public MQTT contract.</summary>
internal static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string TooLong = "too_long";
    public const string UnknownVoice = "unknown_voice";
    public const string QueueFull = "queue_full";
    public const string SynthesisFailed = "synthesis_failed";
    public const string AudioDeviceUnavailable = "audio_device_unavailable";
    public const string Cancelled = "cancelled";
    public const string RateLimited = "rate_limited";
}
