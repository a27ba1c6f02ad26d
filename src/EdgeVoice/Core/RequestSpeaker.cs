using EdgeVoice.Audio;
using EdgeVoice.Core.Journal;
using EdgeVoice.Telemetry;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Core;

/// <summary>How to stop one request while it is spoken (cancel, stop, an interrupting request, a client gone), with a fade.</summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public CancellationToken Token => _stop.Token;

    /// <summary>Why it was stopped (the first reason given), for the <c>cancelled</c> event.</summary>
    public string? Reason { get; private set; }

    public void Stop(string reason)
    {
        Reason ??= reason;
        _stop.Cancel();
    }

    public void Dispose() => _stop.Dispose();
}

/// <summary>
/// Speaks one accepted request to its sink (<see cref="SayRequest.Sink"/>, else the local one) and
/// reports <c>started</c>, then <c>finished</c> with its timings, <c>cancelled</c>, or <c>failed</c>
/// with a code, to the request's replies; records its metrics. The local lane speaks through it,
/// and so can a front-end that plays to its own client, outside the lane.
/// </summary>
internal sealed partial class RequestSpeaker(
    SpeechPipeline pipeline,
    TextPlanner planner,
    IRequestEvents events,
    IOptions<LimitsOptions> limits,
    EdgeVoiceMetrics metrics,
    TelemetryWindow window,
    TimeProvider time,
    ILogger<RequestSpeaker> logger,
    RequestJournal journal)
{
    /// <summary>Speaks <paramref name="request"/>; its outcome goes out as events (this never throws for a failed request).</summary>
    /// <param name="request">A request accepted by <see cref="Admission.Check"/> (its voice resolved).</param>
    /// <param name="interruption">Stops it with a fade; the <c>cancelled</c> event carries the reason.</param>
    /// <param name="stoppingToken">Stops it at once (shutdown): <c>failed</c> with <c>cancelled</c>.</param>
    public async Task SpeakAsync(SayRequest request, Interruption interruption, CancellationToken stoppingToken)
    {
        var queueTime = time.GetElapsedTime(request.ReceivedAt);
        if (request.ResolvedVoice is not { } voice)
        {
            events.Publish(Failure(request, ErrorCodes.UnknownVoice, "the request was not admitted: no voice was resolved for it"));
            return;
        }

        var about = RequestEvent.About(request, RequestEvent.Started, time.GetUtcNow()) with
        {
            Voice = voice.Name,
            Provider = voice.Provider,
            Sink = request.Sink?.Description ?? pipeline.SinkDescription,
            QueueMs = Round(queueTime.TotalMilliseconds),
        };
        events.Publish(about);

        var plan = planner.Plan(request.Text, request.Format);
        try
        {
            var options = new UtteranceOptions(request.Speed, request.Volume, TimeSpan.FromSeconds(limits.Value.MaxAudioSeconds), interruption.Token)
            {
                Sink = request.Sink,
                ChunkPlayed = request.JournalSeq > 0 ? played => journal.Played(request.JournalSeq, request.SkipChunks + played) : null,
            };

            // A request that was being spoken when EdgeVoice stopped goes on from the first chunk not fully played.
            IEnumerable<TextChunk> chunks = request.SkipChunks > 0 ? plan.Skip(request.SkipChunks) : plan;
            var result = await pipeline.SpeakAsync(request.Id, chunks, voice, options, stoppingToken).ConfigureAwait(false);
            Record(request, voice, queueTime, result);
            events.Publish(about with
            {
                Event = RequestEvent.Finished,
                Time = time.GetUtcNow(),
                Chunks = result.Chunks,
                TimeToFirstAudioMs = Round(result.TimeToFirstAudio.TotalMilliseconds),
                SynthesisMs = Round(result.Synthesis.TotalMilliseconds),
                TotalMs = Round(result.Total.TotalMilliseconds),
                AudioMs = Round(result.Audio.TotalMilliseconds),
                RealTimeFactor = Math.Round(result.RealTimeFactor, 4),
                SampleRate = result.SampleRate,
                Underruns = result.Underruns,
                Warnings = plan.Warnings.Count > 0 ? plan.Warnings : null,
                Timeline = Timeline(queueTime, result),
                ChunkTimings = result.ChunkTimings.Count <= 100 ? result.ChunkTimings : [.. result.ChunkTimings.Take(100)],
            });
            Log.Finished(logger, request.Id, result.Chunks, result.Audio.TotalMilliseconds, result.TimeToFirstAudio.TotalMilliseconds, result.RealTimeFactor);
        }
        catch (UtteranceInterruptedException)
        {
            events.Publish(Cancelled(request, interruption.Reason ?? "cancelled"));
        }
        catch (OperationCanceledException) when (request.JournalSeq > 0)
        {
            // Kept in the journal: spoken on, from the first chunk not fully played, when EdgeVoice starts again.
            Log.KeptForRestart(logger, request.Id);
        }
        catch (OperationCanceledException)
        {
            events.Publish(Failure(request, ErrorCodes.Cancelled, "EdgeVoice stopped while speaking this request"));
        }
        catch (AudioLimitException e)
        {
            events.Publish(Failure(request, ErrorCodes.TooLong, e.Message));
        }
        catch (AudioDeviceUnavailableException e)
        {
            Log.Failed(logger, request.Id, ErrorCodes.AudioDeviceUnavailable, e.Message);
            events.Publish(Failure(request, ErrorCodes.AudioDeviceUnavailable, e.Message));
        }
        catch (SsmlException e)
        {
            events.Publish(Failure(request, ErrorCodes.BadRequest, e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A voice's failure ends this request only; the lane goes on with the next one.
            Log.Failed(logger, request.Id, ErrorCodes.SynthesisFailed, e.Message);
            events.Publish(Failure(request, ErrorCodes.SynthesisFailed, $"voice '{voice.Name}' failed: {e.Message}"));
        }
    }

    /// <summary>A <c>cancelled</c> event for a request (counted).</summary>
    public RequestEvent Cancelled(SayRequest request, string reason)
    {
        metrics.Outcome(RequestEvent.Cancelled, ErrorCodes.Cancelled, request.Frontend, request.Voice, null);
        return RequestEvent.About(request, RequestEvent.Cancelled, time.GetUtcNow(), ErrorCodes.Cancelled, reason);
    }

    /// <summary>An <c>expired</c> event for a request not spoken because its time passed (counted).</summary>
    public RequestEvent Expired(SayRequest request, string code, string message)
    {
        metrics.Outcome(RequestEvent.Expired, code, request.Frontend, request.Voice, null);
        Log.Expired(logger, request.Id, code, message);
        return RequestEvent.About(request, RequestEvent.Expired, time.GetUtcNow(), code, message);
    }

    /// <summary>A <c>failed</c> event for a request (counted).</summary>
    public RequestEvent Failure(SayRequest request, string code, string message)
    {
        metrics.Outcome(RequestEvent.Failed, code, request.Frontend, request.Voice, null);
        return RequestEvent.About(request, RequestEvent.Failed, time.GetUtcNow(), code, message);
    }

    /// <summary>Where a metric is recorded for a spoken request, and what the telemetry window keeps of it.</summary>
    private void Record(SayRequest request, IVoice voice, TimeSpan queueTime, SpeechResult result)
    {
        metrics.Finished(result.Measure(voice.Name, voice.Provider, request.Frontend, queueTime));
        window.Add(voice.Name, result.TimeToFirstAudio.TotalMilliseconds, queueTime.TotalMilliseconds, result.RealTimeFactor, (queueTime + result.Total).TotalMilliseconds);
    }

    private static RequestTimeline? Timeline(TimeSpan queueTime, SpeechResult result) => result.Timeline is not { } t ? null : new RequestTimeline(
        0,
        Round(queueTime.TotalMilliseconds),
        Round((queueTime + t.FirstChunkReady).TotalMilliseconds),
        Round((queueTime + t.FirstPcm).TotalMilliseconds),
        Round((queueTime + t.FirstFrameAccepted).TotalMilliseconds),
        Round((queueTime + t.AudibleStart).TotalMilliseconds),
        Round((queueTime + t.LastSamplePlayed).TotalMilliseconds));

    private static double Round(double milliseconds) => Math.Round(milliseconds, 2);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
            Message = "Spoke {Id}: {Chunks} chunks, {AudioMs:F0} ms of audio, first audio after {FirstAudioMs:F0} ms, real-time factor {Rtf:F3}")]
        public static partial void Finished(ILogger logger, string id, int chunks, double audioMs, double firstAudioMs, double rtf);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Request {Id} stays in the journal; it is spoken on when EdgeVoice starts again")]
        public static partial void KeptForRestart(ILogger logger, string id);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Request {Id} expired ({Code}): {Reason}")]
        public static partial void Expired(ILogger logger, string id, string code, string reason);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Request {Id} failed ({Code}): {Reason}")]
        public static partial void Failed(ILogger logger, string id, string code, string reason);
    }
}
