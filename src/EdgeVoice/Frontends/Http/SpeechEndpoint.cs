using System.Globalization;
using System.Text.Json;
using EdgeVoice.Audio;
using EdgeVoice.Core;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Http;

/// <summary>
/// OpenAI's speech API: <c>POST /v1/audio/speech</c> streams the audio as the chunks are synthesised
/// (the first bytes leave after the first chunk), <c>GET /v1/audio/voices</c> and <c>GET /v1/models</c>
/// list what is installed. Requests go through admission like any other (front-end <c>http</c>) and are
/// spoken outside the local lane, to the client's own sink.
/// </summary>
internal sealed class SpeechEndpoint(
    SayRequestParser parser,
    Admission admission,
    RequestSpeaker speaker,
    VoiceRegistry voices,
    IOptions<HttpOptions> options,
    IOptions<LimitsOptions> limits,
    IHostApplicationLifetime lifetime,
    TimeProvider time) : IDisposable
{
    /// <summary>The <c>protocol</c> label of requests that come this way.</summary>
    public const string Frontend = "http";

    /// <summary>OpenAI's speech range; what falls outside the voices' own range is clamped onto it.</summary>
    public const double MinSpeed = 0.25;
    public const double MaxSpeed = 4.0;

    /// <summary>Model names accepted (all the same: the voice decides).</summary>
    public static readonly string[] Models = ["edgevoice", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"];

    /// <summary>OpenAI's voice names: the default voice, unless <c>Http:VoiceAliases</c> maps them.</summary>
    public static readonly string[] OpenAiVoices = ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar"];

    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentSpeech, options.Value.MaxConcurrentSpeech);

    public async Task SpeakAsync(HttpContext context)
    {
        var receivedAt = time.GetTimestamp();
        var body = await HttpBody.ReadAsync(context, limits.Value.MaxPayloadBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        SpeechPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(body, HttpJsonContext.Default.SpeechPayload);
        }
        catch (JsonException e)
        {
            await OpenAiErrors.WriteAsync(context, 400, $"the body is not a speech request: {e.Message}", code: "invalid_json").ConfigureAwait(false);
            return;
        }

        if (payload is null || string.IsNullOrWhiteSpace(payload.Input))
        {
            await OpenAiErrors.WriteAsync(context, 400, "'input' is missing: the text to speak", "input", "missing_required_parameter").ConfigureAwait(false);
            return;
        }

        if (!string.IsNullOrEmpty(payload.Model) && !Models.Contains(payload.Model, StringComparer.OrdinalIgnoreCase) && !voices.List().Any(v => v.Name == payload.Model))
        {
            await OpenAiErrors.WriteAsync(context, 404, $"model '{payload.Model}' does not exist; EdgeVoice answers to {string.Join(", ", Models)} (the voice decides how it sounds)", "model", "model_not_found").ConfigureAwait(false);
            return;
        }

        var format = (payload.ResponseFormat ?? "wav").ToLowerInvariant();
        if (!AudioEncoder.IsSupported(format))
        {
            var why = format is "mp3" or "aac" or "flac"
                ? $"response_format '{format}' is not available: EdgeVoice bundles no {format} encoder; ask for wav, pcm or opus"
                : $"response_format '{format}' is not known; EdgeVoice writes wav, pcm and opus";
            await OpenAiErrors.WriteAsync(context, 400, why, "response_format", "unsupported_response_format").ConfigureAwait(false);
            return;
        }

        var sse = payload.StreamFormat switch
        {
            null or "audio" => false,
            "sse" => true,
            _ => (bool?)null,
        };
        if (sse is null)
        {
            await OpenAiErrors.WriteAsync(context, 400, $"stream_format must be \"audio\" or \"sse\", not \"{payload.StreamFormat}\"", "stream_format", "invalid_value").ConfigureAwait(false);
            return;
        }

        var warnings = new List<string>();
        var speed = payload.Speed ?? 1.0;
        if (!double.IsFinite(speed) || speed is < MinSpeed or > MaxSpeed)
        {
            await OpenAiErrors.WriteAsync(context, 400, $"speed must be a number from {MinSpeed} to {MaxSpeed}", "speed", "invalid_value").ConfigureAwait(false);
            return;
        }

        if (!SpeedRange.Contains(speed))
        {
            var clamped = SpeedRange.Clamp(speed);
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"speed {speed} is outside the voices' range ({SpeedRange.Min} to {SpeedRange.Max}); spoken at {clamped}"));
            speed = clamped;
        }

        if (!string.IsNullOrEmpty(payload.Instructions))
        {
            warnings.Add("instructions are ignored: EdgeVoice's voices take no style prompt");
        }

        var replies = new HttpReplies();
        using var sink = new ResponseSink();
        var candidate = new SayRequest(NewId(), payload.Input, VoiceFor(payload.Voice), receivedAt)
        {
            Frontend = Frontend,
            Speed = speed,
            Replies = replies,
            Sink = sink,
        };
        if (!parser.Validate(candidate, out var request, out var error))
        {
            admission.Reject(error, candidate);
            await OpenAiErrors.WriteAsync(context, error).ConfigureAwait(false);
            return;
        }

        if (!_slots.Wait(0))
        {
            var busy = new RequestError(ErrorCodes.QueueFull, $"{options.Value.MaxConcurrentSpeech} speech requests are already streaming (Http:MaxConcurrentSpeech); try again shortly", request.Id);
            admission.Reject(busy, request);
            await OpenAiErrors.WriteAsync(context, busy).ConfigureAwait(false);
            return;
        }

        try
        {
            if (admission.Check(request, HttpBody.ClientOf(context), out var accepted) != AdmissionResult.Accepted)
            {
                await OpenAiErrors.WriteAsync(context, replies.Error ?? new RequestError(ErrorCodes.BadRequest, "the request was not admitted")).ConfigureAwait(false);
                return;
            }

            await StreamAsync(context, accepted, sink, replies, format, sse.Value, warnings).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task VoicesAsync(HttpContext context)
    {
        var list = voices.List().Where(v => v.Error is null).ToList();
        var entries = list.Select(v => new VoiceEntry(v.Name, v.Name, v.Engine, v.Language, v.SampleRate, v.Provider, v.Name == voices.DefaultName)).ToList();
        var aliases = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in OpenAiVoices)
        {
            aliases[name] = voices.DefaultName;
        }

        foreach (var (alias, voice) in options.Value.VoiceAliases)
        {
            aliases[alias] = voice;
        }

        await HttpBody.WriteJsonAsync(context, 200, new VoiceList(entries, voices.DefaultName, aliases), HttpJsonContext.Default.VoiceList).ConfigureAwait(false);
    }

    public static Task ModelsAsync(HttpContext context) =>
        HttpBody.WriteJsonAsync(context, 200, new ModelList("list", [.. Models.Select(m => new ModelEntry(m, "model", 0, "edgevoice"))]), HttpJsonContext.Default.ModelList);

    public void Dispose() => _slots.Dispose();

    /// <summary>An alias of <c>Http:VoiceAliases</c>; an OpenAI name means the default voice; anything else is a voice name.</summary>
    private string? VoiceFor(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return null;
        }

        if (options.Value.VoiceAliases.TryGetValue(requested, out var aliased))
        {
            return aliased;
        }

        return OpenAiVoices.Contains(requested, StringComparer.OrdinalIgnoreCase) ? null : requested;
    }

    private async Task StreamAsync(HttpContext context, SayRequest request, ResponseSink sink, HttpReplies replies, string format, bool sse, List<string> warnings)
    {
        using var interruption = new Interruption();
        using var gone = context.RequestAborted.Register(() =>
        {
            interruption.Stop("the HTTP client went away");
            sink.Complete();
        });
        // Started here, not on the thread pool: the core hands synthesis and playback to threads of their own.
        var speaking = SpeakAsync();

        AudioEncoder? encoder = null;
        using var pending = new MemoryStream();
        var response = context.Response;
        try
        {
            var reader = sink.Slices;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (encoder is null)
                {
                    encoder = Begin(context, request, sink.Format ?? request.ResolvedVoice!.Format, format, sse, warnings);
                    encoder.Begin(pending);
                }

                while (reader.TryRead(out var slice))
                {
                    encoder.Write(slice, pending);
                }

                await EmitAsync(response, pending, sse, context.RequestAborted).ConfigureAwait(false);
            }

            await speaking.ConfigureAwait(false);
            var end = await replies.End.ConfigureAwait(false);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            if (end.Event != RequestEvent.Finished)
            {
                if (encoder is null)
                {
                    await OpenAiErrors.WriteAsync(context, replies.Error!).ConfigureAwait(false);
                }
                else
                {
                    // The status has gone out: cut the stream, so the client does not take part of the audio for all of it.
                    context.Abort();
                }

                return;
            }

            if (encoder is null)
            {
                encoder = Begin(context, request, sink.Format ?? request.ResolvedVoice!.Format, format, sse, warnings);
                encoder.Begin(pending);
            }

            encoder.Finish(pending);
            await EmitAsync(response, pending, sse, context.RequestAborted).ConfigureAwait(false);
            if (sse)
            {
                var tokens = request.Text.Length;
                var done = JsonSerializer.SerializeToUtf8Bytes(new AudioDone("speech.audio.done", new SpeechUsage(tokens, 0, tokens)), HttpJsonContext.Default.AudioDone);
                await WriteEventAsync(response, done, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the interruption stops the synthesis.
        }
        finally
        {
            interruption.Stop("the HTTP response ended");
            sink.Complete();
            await speaking.ConfigureAwait(false);
            encoder?.Dispose();
        }

        async Task SpeakAsync()
        {
            try
            {
                await speaker.SpeakAsync(request, interruption, lifetime.ApplicationStopping).ConfigureAwait(false);
            }
            finally
            {
                sink.Complete();
            }
        }
    }

    private static AudioEncoder Begin(HttpContext context, SayRequest request, AudioFormat audio, string format, bool sse, List<string> warnings)
    {
        var response = context.Response;
        var encoder = AudioEncoder.Create(format, audio);
        response.StatusCode = 200;
        response.ContentType = sse ? "text/event-stream" : encoder.ContentType;
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Request-Id"] = request.Id;
        response.Headers["X-EdgeVoice-Voice"] = request.ResolvedVoice!.Name;
        response.Headers["X-EdgeVoice-Sample-Rate"] = audio.SampleRate.ToString(CultureInfo.InvariantCulture);
        if (warnings.Count > 0)
        {
            response.Headers["X-EdgeVoice-Warning"] = string.Join("; ", warnings);
        }

        return encoder;
    }

    private static async Task EmitAsync(HttpResponse response, MemoryStream pending, bool sse, CancellationToken cancellationToken)
    {
        if (pending.Length > 0)
        {
            if (sse)
            {
                var delta = JsonSerializer.SerializeToUtf8Bytes(new AudioDelta("speech.audio.delta", Convert.ToBase64String(pending.GetBuffer(), 0, (int)pending.Length)), HttpJsonContext.Default.AudioDelta);
                await WriteEventAsync(response, delta, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await response.Body.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), cancellationToken).ConfigureAwait(false);
            }

            pending.SetLength(0);
        }

        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteEventAsync(HttpResponse response, byte[] json, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync("data: "u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync("\n\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static string NewId() => "speech-" + Guid.NewGuid().ToString("N")[..12];
}

/// <summary>Bodies in and out: a size limit on the way in (413), source-generated JSON on the way out.</summary>
internal static class HttpBody
{
    /// <summary>The whole body, or null once a 413 has been answered.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, int maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context, maxBytes).ConfigureAwait(false);
            return null;
        }

        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > maxBytes)
            {
                await TooLargeAsync(context, maxBytes).ConfigureAwait(false);
                return null;
            }
        }

        return body.ToArray();
    }

    public static async Task WriteJsonAsync<T>(HttpContext context, int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(value, type), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The rate-limit client: the caller's address.</summary>
    public static string ClientOf(HttpContext context) => "http:" + (context.Connection.RemoteIpAddress?.ToString() ?? "local");

    private static Task TooLargeAsync(HttpContext context, int maxBytes) =>
        OpenAiErrors.WriteAsync(context, 413, string.Create(CultureInfo.InvariantCulture, $"the body is larger than {maxBytes} bytes (Limits:MaxPayloadBytes)"), code: ErrorCodes.TooLong);
}
