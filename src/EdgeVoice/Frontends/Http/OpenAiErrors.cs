using System.Text.Json;
using EdgeVoice.Core;
using Microsoft.AspNetCore.Http;

namespace EdgeVoice.Frontends.Http;

/// <summary>Errors as OpenAI writes them, so its SDKs raise them as API errors with the status and message.</summary>
internal static class OpenAiErrors
{
    public static async Task WriteAsync(HttpContext context, int status, string message, string? param = null, string? code = null)
    {
        var type = status switch
        {
            401 => "authentication_error",
            429 => "rate_limit_error",
            >= 500 => "server_error",
            _ => "invalid_request_error",
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(new ErrorDetail(message, type, param, code)), ErrorJsonContext.Default.ErrorBody);
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A core refusal or failure, answered with the HTTP status that fits its contract code.</summary>
    public static Task WriteAsync(HttpContext context, RequestError error) =>
        WriteAsync(context, StatusOf(error.Code), error.Message, error.Code == ErrorCodes.UnknownVoice ? "voice" : error.Code is ErrorCodes.BadRequest or ErrorCodes.TooLong ? "input" : null, error.Code);

    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.BadRequest or ErrorCodes.UnknownVoice => 400,
        ErrorCodes.TooLong => 413,
        ErrorCodes.RateLimited => 429,
        ErrorCodes.QueueFull or ErrorCodes.Cancelled or ErrorCodes.AudioDeviceUnavailable => 503,
        _ => 500,
    };
}

/// <summary>One HTTP request's replies: the core's events about it, kept for its answer.</summary>
internal sealed class HttpReplies : IRequestReplies
{
    private readonly TaskCompletionSource<RequestEvent> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The first refusal (admission answers it at once, before any audio).</summary>
    public RequestEvent? Rejected { get; private set; }

    /// <summary>The request's last event: finished, failed, cancelled or rejected.</summary>
    public Task<RequestEvent> End => _end.Task;

    public void Publish(RequestEvent requestEvent)
    {
        switch (requestEvent.Event)
        {
            case RequestEvent.Rejected:
                Rejected ??= requestEvent;
                _end.TrySetResult(requestEvent);
                break;
            case RequestEvent.Finished or RequestEvent.Failed or RequestEvent.Cancelled:
                _end.TrySetResult(requestEvent);
                break;
        }
    }

    public RequestError? Error => _end.Task.IsCompletedSuccessfully && _end.Task.Result is { Code: { } code } e && e.Event != RequestEvent.Finished
        ? new RequestError(code, e.Message ?? code, e.Id)
        : null;
}
