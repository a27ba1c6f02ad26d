using System.Buffers;
using System.Text.Json;
using EdgeVoice.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Http;

/// <summary>
/// The MQTT contract over HTTP, for local integrations without an MQTT client: <c>POST /v1/say</c> (the
/// say JSON or plain text; spoken on the local speaker; 202 with the id), <c>POST /v1/cancel</c>,
/// <c>POST /v1/stop</c>, and <c>GET /v1/events</c> (server-sent events, the JSON of <c>&lt;base&gt;/events</c>).
/// </summary>
internal sealed class RestMirror(
    SayRequestParser parser,
    Admission admission,
    EventStream events,
    IOptions<LimitsOptions> limits,
    IHostApplicationLifetime lifetime,
    TimeProvider time)
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public async Task SayAsync(HttpContext context)
    {
        var receivedAt = time.GetTimestamp();
        var body = await HttpBody.ReadAsync(context, limits.Value.MaxPayloadBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        var replies = new HttpReplies();
        if (!parser.TryParse(new ReadOnlySequence<byte>(body), receivedAt, out var request, out var error))
        {
            admission.Reject(error, SpeechEndpoint.Frontend, replies);
            await OpenAiErrors.WriteAsync(context, error).ConfigureAwait(false);
            return;
        }

        switch (admission.Submit(request with { Frontend = SpeechEndpoint.Frontend, Replies = new MirrorReplies(replies) }, HttpBody.ClientOf(context)))
        {
            case AdmissionResult.Accepted:
                await HttpBody.WriteJsonAsync(context, 202, new MirrorAnswer("queued", request.Id), HttpJsonContext.Default.MirrorAnswer).ConfigureAwait(false);
                break;
            case AdmissionResult.Duplicate:
                await HttpBody.WriteJsonAsync(context, 200, new MirrorAnswer("duplicate", request.Id), HttpJsonContext.Default.MirrorAnswer).ConfigureAwait(false);
                break;
            default:
                await OpenAiErrors.WriteAsync(context, replies.Error ?? new RequestError(ErrorCodes.BadRequest, "the request was not admitted", request.Id)).ConfigureAwait(false);
                break;
        }
    }

    public async Task CancelAsync(HttpContext context)
    {
        var body = await HttpBody.ReadAsync(context, limits.Value.MaxPayloadBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        string? id = null;
        if (body.AsSpan().Trim(" \t\r\n"u8).Length > 0)
        {
            try
            {
                id = JsonSerializer.Deserialize(body, RequestJsonContext.Default.CancelPayload)?.Id;
            }
            catch (JsonException e)
            {
                var error = new RequestError(ErrorCodes.BadRequest, "cancel: " + SayRequestParser.DescribeJsonError(e, default));
                admission.Reject(error, SpeechEndpoint.Frontend, null);
                await OpenAiErrors.WriteAsync(context, error).ConfigureAwait(false);
                return;
            }
        }

        var result = admission.Cancel(id, id is null ? "cancelled while playing" : "cancelled by request");
        if (result == CancelResult.NotFound)
        {
            if (id is not null)
            {
                admission.Reject(new RequestError(ErrorCodes.BadRequest, $"cancel: no request '{id}' is waiting or playing", id), SpeechEndpoint.Frontend, null);
            }

            await OpenAiErrors.WriteAsync(context, 404, id is null ? "nothing is playing" : $"no request '{id}' is waiting or playing", "id", "not_found").ConfigureAwait(false);
            return;
        }

        await HttpBody.WriteJsonAsync(context, 200, new MirrorAnswer("cancelled", id), HttpJsonContext.Default.MirrorAnswer).ConfigureAwait(false);
    }

    public Task StopAsync(HttpContext context)
    {
        var count = admission.Stop("stopped by a stop request");
        return HttpBody.WriteJsonAsync(context, 200, new MirrorAnswer("stopped", Cancelled: count), HttpJsonContext.Default.MirrorAnswer);
    }

    public async Task EventsAsync(HttpContext context)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var listener = events.Listen();
        try
        {
            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-store";
            await response.Body.WriteAsync(": edgevoice events\n\n"u8.ToArray(), stop.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            while (!stop.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                wait.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await listener.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await response.Body.WriteAsync(": keep-alive\n\n"u8.ToArray(), stop.Token).ConfigureAwait(false);
                    await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                    continue;
                }

                if (!more)
                {
                    break;
                }

                while (listener.Reader.TryRead(out var json))
                {
                    await response.Body.WriteAsync("data: "u8.ToArray(), stop.Token).ConfigureAwait(false);
                    await response.Body.WriteAsync(json, stop.Token).ConfigureAwait(false);
                    await response.Body.WriteAsync("\n\n"u8.ToArray(), stop.Token).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or EdgeVoice stops.
        }
        finally
        {
            events.Leave(listener);
        }
    }
}
