using EdgeVoice.Audio;
using EdgeVoice.Text;
using EdgeVoice.Voices;

namespace EdgeVoice.Core;

/// <summary>How urgent a request is: a higher priority is spoken before any lower one that waits.</summary>
internal enum Priority
{
    Normal,
    High,
    Alarm,
}

/// <summary>An accepted request to speak.</summary>
/// <param name="Id">The caller's id, or one EdgeVoice made up.</param>
/// <param name="Text">What to say.</param>
/// <param name="Voice">The voice asked for; null for the default.</param>
/// <param name="ReceivedAt">When it arrived, as a <see cref="TimeProvider"/> timestamp.</param>
internal sealed record SayRequest(string Id, string Text, string? Voice, long ReceivedAt)
{
    /// <summary>Relative speaking rate, 0.5 to 2.0; 1 is the voice's own.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Loudness, 0 (silent) to 1 (as the voice makes it).</summary>
    public double Volume { get; init; } = 1.0;

    public Priority Priority { get; init; } = Priority.Normal;

    /// <summary>Stop what is playing (with a short fade) and speak this next.</summary>
    public bool Interrupt { get; init; }

    /// <summary>Plain text with inline markers, or SSML.</summary>
    public TextFormat Format { get; init; } = TextFormat.Text;

    /// <summary>The front-end that accepted it (<c>mqtt</c>, <c>hermes</c>, …): the <c>protocol</c> label of its metrics.</summary>
    public string Frontend { get; init; } = "local";

    /// <summary>Where the request's events go back to: its front-end's reply channel. Null: only the observers hear them.</summary>
    public IRequestReplies? Replies { get; init; }

    /// <summary>The voice admission resolved (once) for it; set on every accepted request.</summary>
    public IVoice? ResolvedVoice { get; init; }

    /// <summary>Where its audio goes; null for the local lane's sink (a network front-end sends it back to its client).</summary>
    public IAudioSink? Sink { get; init; }

    /// <summary>The id was given by the caller (so a second request with it is a redelivery).</summary>
    public bool CallerId { get; init; }

    /// <summary>When it is no longer worth saying (its <c>expires_at</c>, <c>ttl_seconds</c> or MQTT 5 message expiry); null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Its row in the request journal; 0 when it is not journaled (a front-end that plays to its own client).</summary>
    public long JournalSeq { get; init; }

    /// <summary>Chunks already played before a restart: speaking resumes after them.</summary>
    public int SkipChunks { get; init; }

    /// <summary>It was being spoken when EdgeVoice stopped, and resumes (its events say <c>"resumed": true</c>).</summary>
    public bool Resumed { get; init; }
}

/// <summary>Why a payload was refused: a contract error code and a sentence for people.</summary>
internal sealed record RequestError(string Code, string Message, string? Id = null);
