using System.Threading.RateLimiting;
using EdgeVoice.Core.Journal;
using EdgeVoice.Telemetry;
using EdgeVoice.Voices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Core;

/// <summary>What <see cref="Admission"/> made of a request.</summary>
internal enum AdmissionResult
{
    /// <summary>Accepted: queued on the local lane (<see cref="Admission.Submit"/>) or ready to speak (<see cref="Admission.Check"/>).</summary>
    Accepted,

    /// <summary>A redelivery of a request already accepted: answered once, spoken once, so nothing more is said.</summary>
    Duplicate,

    /// <summary>Refused; its <c>rejected</c> event has gone to the request's replies.</summary>
    Rejected,
}

/// <summary>Settings of admission that front-ends give (not a configuration section of their own).</summary>
internal sealed class AdmissionSettings
{
    /// <summary>A caller's request id seen again within this window is a redelivery; zero turns the check off.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// The one way in for every front-end: duplicate ids, the rate limit per client, the voice
/// (resolved once, and carried by the accepted request), the journal, the queue and interrupts; cancel
/// and stop. Refusals are answered through the request's own <see cref="SayRequest.Replies"/>. An id
/// counts as seen only once its request is accepted: a refused request may be sent again with the same id.
/// </summary>
internal sealed partial class Admission : IDisposable
{
    private readonly SpeechQueue _queue;
    private readonly SpeechWorker _lane;
    private readonly VoiceRegistry _voices;
    private readonly IRequestEvents _events;
    private readonly EdgeVoiceMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<Admission> _logger;
    private readonly RecentIds _recentIds;
    private readonly bool _checkDuplicates;
    private readonly PartitionedRateLimiter<string>? _rate;
    private readonly RequestJournal _journal;
    private readonly TimeSpan _window;

    public Admission(
        IOptions<LimitsOptions> limits,
        IOptions<AdmissionSettings> settings,
        SpeechQueue queue,
        SpeechWorker lane,
        VoiceRegistry voices,
        IRequestEvents events,
        EdgeVoiceMetrics metrics,
        TimeProvider time,
        ILogger<Admission> logger,
        RequestJournal journal)
    {
        _journal = journal;
        _queue = queue;
        _lane = lane;
        _voices = voices;
        _events = events;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        var window = settings.Value.DuplicateWindow;
        _window = window;
        _checkDuplicates = window > TimeSpan.Zero;
        _recentIds = new RecentIds(window, time);
        var rate = limits.Value;
        _rate = rate.RequestsPerSecond <= 0 ? null : PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate.Burst,
            TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(rate.RequestsPerSecond / 10)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, (int)Math.Ceiling(rate.RequestsPerSecond / 10)) / rate.RequestsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>
    /// Checks a request without queueing it: duplicates, the client's rate, the voice. On
    /// <see cref="AdmissionResult.Accepted"/>, <paramref name="accepted"/> is the request with its voice resolved,
    /// ready for <see cref="RequestSpeaker.SpeakAsync"/> (a front-end that plays to its own client).
    /// </summary>
    /// <param name="request">A valid request, with its <see cref="SayRequest.Frontend"/> and <see cref="SayRequest.Replies"/> set.</param>
    /// <param name="client">Who sent it, for the rate limit (one token bucket per client).</param>
    /// <param name="accepted">The request with <see cref="SayRequest.ResolvedVoice"/> set.</param>
    public AdmissionResult Check(SayRequest request, string client, out SayRequest accepted)
    {
        accepted = request;
        var checkId = request.CallerId && _checkDuplicates;
        if (checkId && _recentIds.Contains(request.Id))
        {
            Log.Duplicate(_logger, request.Id);
            return AdmissionResult.Duplicate;
        }

        if (_rate is not null)
        {
            using var lease = _rate.AttemptAcquire(client);
            if (!lease.IsAcquired)
            {
                Reject(new RequestError(ErrorCodes.RateLimited, $"client '{client}' sends more than Limits:RequestsPerSecond allows", request.Id), request);
                return AdmissionResult.Rejected;
            }
        }

        if (!_voices.TryResolve(request.Voice, out var voice, out var voiceError))
        {
            Reject(new RequestError(ErrorCodes.UnknownVoice, voiceError, request.Id), request);
            return AdmissionResult.Rejected;
        }

        if (request.ExpiresAt is { } expires && expires <= _time.GetUtcNow())
        {
            Log.Expired(_logger, request.Id);
            _metrics.Outcome(RequestEvent.Expired, ErrorCodes.Expired, request.Frontend, request.Voice, null);
            _events.Publish(RequestEvent.About(request, RequestEvent.Expired, _time.GetUtcNow(), ErrorCodes.Expired, $"it expired at {expires:O}, before it could be spoken"));
            return AdmissionResult.Rejected;
        }

        if (checkId && !_recentIds.TryAdd(request.Id))
        {
            Log.Duplicate(_logger, request.Id);
            return AdmissionResult.Duplicate;
        }

        accepted = request with { ResolvedVoice = voice };
        return AdmissionResult.Accepted;
    }

    /// <summary>The duplicate window (Mqtt:DuplicateWindowSeconds): how long the journal keeps ended requests' ids.</summary>
    public TimeSpan DuplicateWindow => _window;

    /// <summary>Records an id read back from the journal, seen <paramref name="ago"/>: a redelivery of it is a duplicate.</summary>
    public void Remember(string id, TimeSpan ago)
    {
        if (_checkDuplicates)
        {
            _recentIds.TryAdd(id, ago);
        }
    }

    /// <summary>Puts a request read back from the journal into the queue (its lane, in its order), whatever the queue's length.</summary>
    public void Restore(SayRequest request) => _queue.TryEnqueue(request, out _, force: true);

    /// <summary>Checks a request and queues it on the local playback lane (<c>queued</c>, then the lane's events).</summary>
    public AdmissionResult Submit(SayRequest request, string client)
    {
        var result = Check(request, client, out var accepted);
        if (result != AdmissionResult.Accepted)
        {
            return result;
        }

        if (_queue.IsFull)
        {
            return Refuse(new RequestError(ErrorCodes.QueueFull, $"{_queue.Count} requests are already waiting (Limits:QueueLength)", accepted.Id), accepted);
        }

        // On disk before the front-end acknowledges it: requests whose replies cannot outlive the process are not journaled.
        if (_journal.Enabled && (accepted.Replies is null || accepted.Replies is IDurableReplies))
        {
            try
            {
                accepted = accepted with { JournalSeq = _journal.Append(accepted, (accepted.Replies as IDurableReplies)?.Route) };
            }
            catch (JournalUnavailableException e)
            {
                return Refuse(new RequestError(ErrorCodes.JournalUnavailable, e.Message, accepted.Id), accepted);
            }
        }

        var queued = RequestEvent.About(accepted, RequestEvent.Queued, _time.GetUtcNow()) with { Voice = accepted.ResolvedVoice!.Name };
        if (!_queue.TryEnqueue(accepted, out var position, at => _events.Publish(queued with { Position = at })))
        {
            if (accepted.JournalSeq > 0)
            {
                _journal.Remove(accepted.JournalSeq);
            }

            return Refuse(new RequestError(ErrorCodes.QueueFull, $"{position} requests are already waiting (Limits:QueueLength)", accepted.Id), accepted);
        }

        if (accepted.Interrupt)
        {
            _lane.Interrupt(accepted);
        }

        return AdmissionResult.Accepted;
    }

    /// <summary>Refuses a request that passed <see cref="Check"/>: its id is forgotten, so it may be sent again.</summary>
    private AdmissionResult Refuse(RequestError error, SayRequest request)
    {
        if (request.CallerId)
        {
            _recentIds.Remove(request.Id);
        }

        Reject(error, request);
        return AdmissionResult.Rejected;
    }

    /// <summary>Cancels a request of the local lane, waiting or playing; a null id means what is playing.</summary>
    public CancelResult Cancel(string? id, string reason) => _lane.Cancel(id, reason);

    /// <summary>Stops what plays and empties the queue; returns how many requests were cancelled.</summary>
    public int Stop(string reason)
    {
        var count = _lane.Stop(reason);
        Log.Stopped(_logger, count);
        return count;
    }

    /// <summary>Refuses a request (logged, counted, and answered on the request's replies).</summary>
    public void Reject(RequestError error, SayRequest request)
    {
        Log.Rejected(_logger, error.Id ?? "-", error.Code, error.Message);
        _metrics.Outcome(RequestEvent.Rejected, error.Code, request.Frontend, request.Voice, null);
        _events.Publish(RequestEvent.About(request, RequestEvent.Rejected, _time.GetUtcNow(), error.Code, error.Message) with { Id = error.Id });
    }

    /// <summary>Refuses what could not even be read as a request (bad payload): answered on <paramref name="replies"/>.</summary>
    public void Reject(RequestError error, string frontend, IRequestReplies? replies)
    {
        Log.Rejected(_logger, error.Id ?? "-", error.Code, error.Message);
        _metrics.Outcome(RequestEvent.Rejected, error.Code, frontend, null, null);
        var request = new SayRequest(error.Id ?? string.Empty, string.Empty, null, 0) { Frontend = frontend, Replies = replies };
        _events.Publish(RequestEvent.About(request, RequestEvent.Rejected, _time.GetUtcNow(), error.Code, error.Message) with { Id = error.Id });
    }

    public void Dispose() => _rate?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Rejected request {Id} ({Code}): {Reason}")]
        public static partial void Rejected(ILogger logger, string id, string code, string reason);

        [LoggerMessage(EventId = 1107, Level = LogLevel.Debug, Message = "Request {Id} arrived again within the duplicate window; not spoken twice")]
        public static partial void Duplicate(ILogger logger, string id);

        [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Request {Id} had expired when it arrived; not spoken")]
        public static partial void Expired(ILogger logger, string id);

        [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "Stop: {Count} requests cancelled")]
        public static partial void Stopped(ILogger logger, int count);
    }
}
