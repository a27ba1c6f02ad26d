using EdgeVoice.Audio;
using EdgeVoice.Requests;
using EdgeVoice.Telemetry;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Pipeline;

/// <summary>What <see cref="SpeechWorker.Cancel"/> found.</summary>
internal enum CancelResult
{
    NotFound,
    Queued,
    Playing,
}

/// <summary>
/// The playback lane: takes the most urgent waiting request, speaks it through the pipeline, and
/// reports <c>started</c>, then <c>finished</c> with its timings, <c>cancelled</c>, or <c>failed</c>
/// with a code. What is playing can be cancelled, stopped or interrupted (with a short fade).
/// Requests still waiting at shutdown are answered, not dropped silently.
/// </summary>
internal sealed partial class SpeechWorker(
    SpeechQueue queue,
    SpeechPipeline pipeline,
    TextPlanner planner,
    VoiceRegistry voices,
    IRequestEvents events,
    IOptions<LimitsOptions> limits,
    EdgeVoiceMetrics metrics,
    TelemetryWindow window,
    PipelineHealth health,
    TimeProvider time,
    ILogger<SpeechWorker> logger) : BackgroundService
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
                playing.Stop(reason);
                return CancelResult.Playing;
            }
        }

        if (id is not null && queue.TryRemove(id, out var waiting))
        {
            events.Publish(Cancelled(waiting, reason));
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
            events.Publish(Cancelled(waiting, reason));
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
                playing.Stop($"interrupted by request {by.Id}");
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
            events.Publish(Failure(waiting, ErrorCodes.Cancelled, "EdgeVoice stopped before this request was spoken"));
        }
    }

    private async Task SpeakAsync(SayRequest request, CancellationToken stoppingToken)
    {
        var queueTime = time.GetElapsedTime(request.ReceivedAt);
        if (!voices.TryResolve(request.Voice, out var voice, out var voiceError))
        {
            events.Publish(Failure(request, ErrorCodes.UnknownVoice, voiceError));
            return;
        }

        using var interrupt = new CancellationTokenSource();
        var playing = new Playing(request, interrupt);
        health.Begin();
        lock (_gate)
        {
            _playing = playing;
        }

        var about = RequestEvent.About(request, RequestEvent.Started, time.GetUtcNow()) with
        {
            Voice = voice.Name,
            Provider = voice.Provider,
            Sink = pipeline.SinkDescription,
            QueueMs = Round(queueTime.TotalMilliseconds),
        };
        events.Publish(about);

        var plan = planner.Plan(request.Text, request.Format);
        try
        {
            var options = new UtteranceOptions(request.Speed, request.Volume, TimeSpan.FromSeconds(limits.Value.MaxAudioSeconds), interrupt.Token);
            var result = await pipeline.SpeakAsync(request.Id, plan, voice, options, stoppingToken).ConfigureAwait(false);
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
            events.Publish(Cancelled(request, playing.Reason ?? "cancelled"));
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
        finally
        {
            health.End();
            lock (_gate)
            {
                _playing = null;
            }
        }
    }

    /// <summary>Where a metric is recorded for a spoken request, and what the telemetry window keeps of it.</summary>
    private void Record(SayRequest request, IVoice voice, TimeSpan queueTime, SpeechResult result)
    {
        metrics.Finished(voice.Name, voice.Provider, Protocol(request), queueTime, result);
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

    internal static string Protocol(SayRequest request) => request.Hermes is null ? "mqtt" : "hermes";

    private RequestEvent Cancelled(SayRequest request, string reason)
    {
        metrics.Outcome(RequestEvent.Cancelled, ErrorCodes.Cancelled, Protocol(request), request.Voice, null);
        return CancelledEvent(request, reason);
    }

    private RequestEvent CancelledEvent(SayRequest request, string reason) =>
        RequestEvent.About(request, RequestEvent.Cancelled, time.GetUtcNow(), ErrorCodes.Cancelled, reason);

    private RequestEvent Failure(SayRequest request, string code, string message)
    {
        metrics.Outcome(RequestEvent.Failed, code, Protocol(request), request.Voice, null);
        return FailureEvent(request, code, message);
    }

    private RequestEvent FailureEvent(SayRequest request, string code, string message) =>
        RequestEvent.About(request, RequestEvent.Failed, time.GetUtcNow(), code, message);

    private static double Round(double milliseconds) => Math.Round(milliseconds, 2);

    /// <summary>The request being spoken, and how to stop it.</summary>
    private sealed class Playing(SayRequest request, CancellationTokenSource interrupt)
    {
        public SayRequest Request => request;

        public string? Reason { get; private set; }

        public void Stop(string reason)
        {
            Reason ??= reason;
            interrupt.Cancel();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
            Message = "Spoke {Id}: {Chunks} chunks, {AudioMs:F0} ms of audio, first audio after {FirstAudioMs:F0} ms, real-time factor {Rtf:F3}")]
        public static partial void Finished(ILogger logger, string id, int chunks, double audioMs, double firstAudioMs, double rtf);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Request {Id} failed ({Code}): {Reason}")]
        public static partial void Failed(ILogger logger, string id, string code, string reason);
    }
}
