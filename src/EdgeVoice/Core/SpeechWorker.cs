using Microsoft.Extensions.Hosting;

namespace EdgeVoice.Core;

/// <summary>What <see cref="SpeechWorker.Cancel"/> found.</summary>
internal enum CancelResult
{
    NotFound,
    Queued,
    Playing,
}

/// <summary>
/// The local playback lane: takes the most urgent waiting request and speaks it through
/// <see cref="RequestSpeaker"/>, one at a time. What is playing can be cancelled, stopped or
/// interrupted (with a short fade). A request whose time has passed is reported <c>expired</c>, not
/// spoken. Requests still waiting at shutdown stay in the journal for the next start; those that are
/// not journaled are answered, not dropped silently.
/// </summary>
internal sealed class SpeechWorker(
    SpeechQueue queue,
    RequestSpeaker speaker,
    IRequestEvents events,
    PipelineHealth health,
    TimeProvider time) : BackgroundService
{
    private readonly Lock _gate = new();
    private Playing? _playing;

    /// <summary>Cancels a request: the one playing (with a fade), or one waiting. A null id means what is playing.</summary>
    public CancelResult Cancel(string? id, string reason)
    {
        lock (_gate)
        {
            if (_playing is { } playing && (id is null || playing.Request.Id == id))
            {
                playing.Interruption.Stop(reason);
                return CancelResult.Playing;
            }
        }

        if (id is not null && queue.TryRemove(id, out var waiting))
        {
            events.Publish(speaker.Cancelled(waiting, reason));
            return CancelResult.Queued;
        }

        return CancelResult.NotFound;
    }

    /// <summary>Stops what plays and empties the queue; returns how many requests were cancelled.</summary>
    public int Stop(string reason)
    {
        var count = 0;
        foreach (var waiting in queue.RemoveAll())
        {
            events.Publish(speaker.Cancelled(waiting, reason));
            count++;
        }

        return count + (Cancel(null, reason) == CancelResult.Playing ? 1 : 0);
    }

    /// <summary>A request that interrupts has been queued at the front of its lane: stop what plays so it comes next.</summary>
    public void Interrupt(SayRequest by)
    {
        lock (_gate)
        {
            if (_playing is { } playing && playing.Request.Id != by.Id)
            {
                playing.Interruption.Stop($"interrupted by request {by.Id}");
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var request = await queue.DequeueAsync(stoppingToken).ConfigureAwait(false);
                await SpeakAsync(request, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        foreach (var waiting in queue.RemoveAll())
        {
            if (waiting.JournalSeq == 0)
            {
                events.Publish(speaker.Failure(waiting, ErrorCodes.Cancelled, "EdgeVoice stopped before this request was spoken"));
            }
        }
    }

    private async Task SpeakAsync(SayRequest request, CancellationToken stoppingToken)
    {
        if (request.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            events.Publish(speaker.Expired(request, ErrorCodes.Expired, $"it expired at {expires:O}, before its turn came"));
            return;
        }

        using var interruption = new Interruption();
        health.Begin();
        lock (_gate)
        {
            _playing = new Playing(request, interruption);
        }

        try
        {
            await speaker.SpeakAsync(request, interruption, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            health.End();
            lock (_gate)
            {
                _playing = null;
            }
        }
    }

    /// <summary>The request being spoken, and how to stop it.</summary>
    private sealed record Playing(SayRequest Request, Interruption Interruption);
}
