using System.Text.Json;
using EdgeVoice.Core;

namespace EdgeVoice.Frontends.Mqtt.Hermes;

/// <summary>A request that came over Hermes: the site and session its answer goes to.</summary>
internal sealed record HermesOrigin(string SiteId, string? SessionId);

/// <summary>
/// A Hermes request's way back: its events on <c>&lt;base&gt;/events</c> like any other, and
/// <c>hermes/tts/sayFinished</c> (finished, cancelled) or <c>hermes/error/tts</c> (failed, rejected).
/// </summary>
internal sealed class HermesReplies(MqttOutbox outbox, HermesOrigin origin) : IRequestReplies
{
    public HermesOrigin Origin => origin;

    public void Publish(RequestEvent requestEvent)
    {
        outbox.Publish(requestEvent);
        var request = requestEvent.Request;
        switch (requestEvent.Event)
        {
            case RequestEvent.Finished or RequestEvent.Cancelled:
                var finished = new HermesSayFinished(request?.Id, origin.SiteId, origin.SessionId);
                outbox.Enqueue(MqttOutbox.Json(HermesTopics.SayFinishedTopic, JsonSerializer.SerializeToUtf8Bytes(finished, HermesJsonContext.Default.HermesSayFinished)));
                break;
            case RequestEvent.Failed or RequestEvent.Rejected:
                var error = new HermesError($"{requestEvent.Code}: {requestEvent.Message}", request?.Text, origin.SiteId, origin.SessionId);
                outbox.Enqueue(MqttOutbox.Json(HermesTopics.ErrorTopic, JsonSerializer.SerializeToUtf8Bytes(error, HermesJsonContext.Default.HermesError)));
                break;
        }
    }
}
