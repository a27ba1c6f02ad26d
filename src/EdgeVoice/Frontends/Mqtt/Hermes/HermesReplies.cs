using System.Text.Json;
using EdgeVoice.Core;
using EdgeVoice.Core.Journal;

namespace EdgeVoice.Frontends.Mqtt.Hermes;

/// <summary>A request that came over Hermes: the site and session its answer goes to.</summary>
internal sealed record HermesOrigin(string SiteId, string? SessionId);

/// <summary>
/// A Hermes request's way back: its events on <c>&lt;base&gt;/events</c> like any other, and
/// <c>hermes/tts/sayFinished</c> (finished, cancelled) or <c>hermes/error/tts</c> (failed, rejected).
/// </summary>
internal sealed class HermesReplies(MqttOutbox outbox, HermesOrigin origin) : IDurableReplies
{
    public HermesOrigin Origin => origin;

    public string Route => MqttRoute.Write("hermes", null, null, origin.SiteId, origin.SessionId);

    public void Publish(RequestEvent requestEvent)
    {
        // The journal hears it was delivered when the Hermes answer, the last of its messages, has been sent.
        outbox.Publish(requestEvent, delivered: false);
        var request = requestEvent.Request;
        switch (requestEvent.Event)
        {
            case RequestEvent.Finished or RequestEvent.Cancelled:
                var finished = new HermesSayFinished(request?.Id, origin.SiteId, origin.SessionId);
                outbox.Enqueue(MqttOutbox.Json(HermesTopics.SayFinishedTopic, JsonSerializer.SerializeToUtf8Bytes(finished, HermesJsonContext.Default.HermesSayFinished)), outbox.ReceiptFor(requestEvent));
                break;
            case RequestEvent.Failed or RequestEvent.Rejected or RequestEvent.Expired:
                var error = new HermesError($"{requestEvent.Code}: {requestEvent.Message}", request?.Text, origin.SiteId, origin.SessionId);
                outbox.Enqueue(MqttOutbox.Json(HermesTopics.ErrorTopic, JsonSerializer.SerializeToUtf8Bytes(error, HermesJsonContext.Default.HermesError)), outbox.ReceiptFor(requestEvent));
                break;
        }
    }
}

/// <summary>Rebuilds the replies of journaled Hermes requests.</summary>
internal sealed class HermesReplyRouteCodec(MqttOutbox outbox) : IReplyRouteCodec
{
    public string Frontend => HermesSayHandler.Frontend;

    public IRequestReplies Restore(string route)
    {
        var (_, _, site, session) = MqttRoute.Read(route);
        return new HermesReplies(outbox, new HermesOrigin(site ?? "default", session));
    }
}
