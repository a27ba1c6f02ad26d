using EdgeVoice.Audio;
using EdgeVoice.Requests;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Pipeline;

/// <summary>
/// The playback lane: takes accepted requests in order, speaks each through the pipeline, and
/// reports <c>started</c>, then <c>finished</c> with its timings or <c>failed</c> with a code.
/// Requests still waiting at shutdown are answered, not dropped silently.
/// </summary>
internal sealed partial class SpeechWorker(
    SpeechQueue queue,
    SpeechPipeline pipeline,
    TextPlanner planner,
    VoiceRegistry voices,
    IRequestEvents events,
    TimeProvider time,
    ILogger<SpeechWorker> logger) : BackgroundService
{
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

        foreach (var waiting in queue.DrainWaiting())
        {
            events.Publish(Failure(waiting.Id, ErrorCodes.Cancelled, "EdgeVoice stopped before this request was spoken"));
        }
    }

    private async Task SpeakAsync(SayRequest request, CancellationToken stoppingToken)
    {
        var queueTime = time.GetElapsedTime(request.ReceivedAt);
        if (!voices.TryResolve(request.Voice, out var voice, out var voiceError))
        {
            events.Publish(Failure(request.Id, ErrorCodes.UnknownVoice, voiceError));
            return;
        }

        var about = new RequestEvent
        {
            Id = request.Id,
            Event = RequestEvent.Started,
            Time = time.GetUtcNow(),
            Voice = voice.Name,
            Provider = voice.Provider,
            Sink = pipeline.SinkDescription,
            QueueMs = Round(queueTime.TotalMilliseconds),
        };
        events.Publish(about);

        try
        {
            var plan = planner.Plan(request.Text, request.Format);
            var result = await pipeline.SpeakAsync(request.Id, plan, voice, request.Speed, stoppingToken).ConfigureAwait(false);
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
            });
            Log.Finished(logger, request.Id, result.Chunks, result.Audio.TotalMilliseconds, result.TimeToFirstAudio.TotalMilliseconds, result.RealTimeFactor);
        }
        catch (OperationCanceledException)
        {
            events.Publish(Failure(request.Id, ErrorCodes.Cancelled, "EdgeVoice stopped while speaking this request"));
        }
        catch (AudioDeviceUnavailableException e)
        {
            Log.Failed(logger, request.Id, ErrorCodes.AudioDeviceUnavailable, e.Message);
            events.Publish(Failure(request.Id, ErrorCodes.AudioDeviceUnavailable, e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A voice's failure ends this request only; the lane goes on with the next one.
            Log.Failed(logger, request.Id, ErrorCodes.SynthesisFailed, e.Message);
            events.Publish(Failure(request.Id, ErrorCodes.SynthesisFailed, $"voice '{voice.Name}' failed: {e.Message}"));
        }
    }

    private RequestEvent Failure(string id, string code, string message) => new()
    {
        Id = id,
        Event = RequestEvent.Failed,
        Time = time.GetUtcNow(),
        Code = code,
        Message = message,
    };

    private static double Round(double milliseconds) => Math.Round(milliseconds, 2);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
            Message = "Spoke {Id}: {Chunks} chunks, {AudioMs:F0} ms of audio, first audio after {FirstAudioMs:F0} ms, real-time factor {Rtf:F3}")]
        public static partial void Finished(ILogger logger, string id, int chunks, double audioMs, double firstAudioMs, double rtf);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Request {Id} failed ({Code}): {Reason}")]
        public static partial void Failed(ILogger logger, string id, string code, string reason);
    }
}
