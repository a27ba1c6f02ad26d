using EdgeVoice.Audio;

namespace EdgeVoice.Core;

/// <summary>How one utterance is spoken, beyond its text and voice.</summary>
/// <param name="Speed">Relative speed, on top of each chunk's own.</param>
/// <param name="Volume">Loudness, 0 to 1.</param>
/// <param name="MaxAudio">Longest audio the utterance may produce; beyond it, it stops with <see cref="AudioLimitException"/>.</param>
/// <param name="Interrupt">When cancelled, the utterance ends with a short fade rather than at once.</param>
internal sealed record UtteranceOptions(double Speed = 1.0, double Volume = 1.0, TimeSpan? MaxAudio = null, CancellationToken Interrupt = default)
{
    /// <summary>Where this utterance's audio goes; null for the pipeline's own sink (the local speaker).</summary>
    public IAudioSink? Sink { get; init; }

    /// <summary>Told how many chunks have been handed to the sink in full, as each one is (the journal's resume point).</summary>
    public Action<int>? ChunkPlayed { get; init; }
}

/// <summary>An utterance was stopped because its audio reached <c>Limits:MaxAudioSeconds</c>.</summary>
internal sealed class AudioLimitException(TimeSpan limit)
    : Exception($"the audio reached the limit of {limit.TotalSeconds:F0} seconds (Limits:MaxAudioSeconds); the rest was not spoken")
{
}

/// <summary>An utterance was stopped on request (cancel, stop, or another request that interrupts), after a fade.</summary>
internal sealed class UtteranceInterruptedException(CancellationToken token) : OperationCanceledException("The utterance was interrupted.", token)
{
}
