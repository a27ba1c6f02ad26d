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

    /// <summary>Its own deadline passed (<c>expires_at</c>, <c>ttl_seconds</c>, MQTT 5 message expiry) before it was spoken.</summary>
    public const string Expired = "expired";

    /// <summary>Replayed from the journal after a restart, but older than <c>Requests:ReplayMaxAgeSeconds</c>.</summary>
    public const string ReplayTooOld = "replay_too_old";

    /// <summary>The request journal cannot record it (disk full, storage failing): refused rather than accepted and lost.</summary>
    public const string JournalUnavailable = "journal_unavailable";
}
