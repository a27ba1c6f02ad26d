using EdgeVoice.Voices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Core.Journal;

/// <summary>
/// At start, after the voices are warm and before systemd hears <c>READY=1</c> (and before any front-end
/// listens): delivers the last events a previous run wrote but could not send, remembers the ids of
/// requests ended within the duplicate window, and puts the requests still waiting back in the queue in
/// their order and priority (the one that was speaking first, resumed). A request older than
/// <c>Requests:ReplayMaxAgeSeconds</c>, or past its own expiry, is reported <c>expired</c> instead.
/// Afterwards it prunes the journal once a minute.
/// </summary>
internal sealed partial class JournalReplay(
    RequestJournal journal,
    Admission admission,
    VoiceRegistry voices,
    IRequestEvents events,
    RequestSpeaker speaker,
    IEnumerable<IReplyRouteCodec> codecs,
    IOptions<RequestsOptions> options,
    TimeProvider time,
    ILogger<JournalReplay> logger) : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, IReplyRouteCodec> _codecs = codecs.ToDictionary(c => c.Frontend, StringComparer.Ordinal);
    private ITimer? _prune;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!journal.Enabled)
        {
            return Task.CompletedTask;
        }

        journal.Open();
        journal.Prune(admission.DuplicateWindow);
        Replay();
        _prune = time.CreateTimer(_ => journal.Prune(admission.DuplicateWindow), null, PruneEvery, PruneEvery);
        return Task.CompletedTask;
    }

    /// <summary>Puts back what the journal holds; returns how many requests were queued again.</summary>
    internal int Replay()
    {
        var contents = journal.Read(admission.DuplicateWindow);
        var now = time.GetUtcNow();
        foreach (var (id, ended) in contents.RecentlyEnded)
        {
            admission.Remember(id, now - ended);
        }

        foreach (var outcome in contents.Undelivered)
        {
            var request = outcome.Request with { Replies = RepliesFor(outcome.Request.Frontend, outcome.Route) };
            if (request.Replies is { } replies)
            {
                replies.Publish(outcome.Event with { Request = request });
            }

            journal.Delivered(outcome.Seq);
        }

        var maxAge = TimeSpan.FromSeconds(options.Value.ReplayMaxAgeSeconds);
        var queued = 0;
        foreach (var pending in contents.Pending)
        {
            var request = pending.Request with { Replies = RepliesFor(pending.Request.Frontend, pending.Route) };
            if (request.CallerId)
            {
                admission.Remember(request.Id, now - pending.ReceivedUtc);
            }

            if (request.ExpiresAt is { } expires && expires <= now)
            {
                events.Publish(speaker.Expired(request, ErrorCodes.Expired, $"it expired at {expires:O}, while EdgeVoice was stopped"));
            }
            else if (maxAge > TimeSpan.Zero && now - pending.ReceivedUtc > maxAge)
            {
                events.Publish(speaker.Expired(request, ErrorCodes.ReplayTooOld, $"it arrived {(now - pending.ReceivedUtc).TotalSeconds:F0} s before EdgeVoice started again; the limit is {maxAge.TotalSeconds:F0} s (Requests:ReplayMaxAgeSeconds)"));
            }
            else if (!voices.TryResolve(request.Voice, out var voice, out var error))
            {
                events.Publish(speaker.Failure(request, ErrorCodes.UnknownVoice, error));
            }
            else
            {
                admission.Restore(request with { ResolvedVoice = voice, Interrupt = pending.WasSpeaking });
                queued++;
            }
        }

        if (contents.Pending.Count + contents.Undelivered.Count > 0)
        {
            Log.Replayed(logger, queued, contents.Pending.Count - queued, contents.Undelivered.Count);
        }

        return queued;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _prune?.Dispose();

    /// <summary>The replies a front-end rebuilds from the route it wrote; none (observers only) when that front-end is not running now.</summary>
    private IRequestReplies? RepliesFor(string frontend, string? route) =>
        route is not null && _codecs.TryGetValue(frontend, out var codec) ? codec.Restore(route) : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Request journal: {Queued} requests queued again, {Ended} answered without speaking, {Delivered} last events delivered again")]
        public static partial void Replayed(ILogger logger, int queued, int ended, int delivered);
    }
}
