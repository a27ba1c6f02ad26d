namespace EdgeVoice.Core;

/// <summary>
/// Whether the playback lane makes progress: idle, or speaking with a chunk synthesised or a slice
/// played within the stall limit. The systemd watchdog is fed only while this holds, so a lane
/// that hangs (a wedged sound device, a voice that never returns) gets the daemon restarted.
/// </summary>
internal sealed class PipelineHealth(TimeProvider time)
{
    private long _busySince;
    private long _lastProgress;

    public void Begin()
    {
        var now = time.GetTimestamp();
        Volatile.Write(ref _lastProgress, now);
        Volatile.Write(ref _busySince, now);
    }

    public void Progress() => Volatile.Write(ref _lastProgress, time.GetTimestamp());

    public void End() => Volatile.Write(ref _busySince, 0);

    /// <summary>True when idle, or when the utterance in progress moved within <paramref name="stallLimit"/>.</summary>
    public bool IsHealthy(TimeSpan stallLimit) =>
        Volatile.Read(ref _busySince) == 0 || time.GetElapsedTime(Volatile.Read(ref _lastProgress)) <= stallLimit;
}
