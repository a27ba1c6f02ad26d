using System.Text;
using EdgeVoice.Core;
using MQTTnet;
using MQTTnet.Packets;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary><c>&lt;base&gt;/say</c>: plain text or the JSON contract, queued on the local lane or answered why not.</summary>
internal sealed class SayHandler(MqttOutbox outbox, SayRequestParser parser, Admission admission, TimeProvider time) : IMqttTopicHandler
{
    /// <summary>The <c>protocol</c> label of requests that come this way.</summary>
    public const string Frontend = "mqtt";

    public IEnumerable<MqttTopicFilter> Subscriptions => [MqttSubscriptions.Requests(outbox.Topics.Say)];

    public bool Handles(string topic) => topic == outbox.Topics.Say;

    public void Handle(MqttApplicationMessage message)
    {
        var receivedAt = time.GetTimestamp();
        var replies = MqttReplies.To(outbox, message);
        if (!parser.TryParse(message.Payload, receivedAt, out var request, out var error))
        {
            admission.Reject(error, Frontend, replies);
            return;
        }

        // Runs before the handler returns, so MQTTnet sends the PUBACK only once the request is in the journal.
        admission.Submit(request with { Frontend = Frontend, Replies = replies, ExpiresAt = Earliest(request.ExpiresAt, message.MessageExpiryInterval) }, ClientOf(message));
    }

    /// <summary>The request's own expiry, or the MQTT 5 message expiry (what is left of it when the broker delivered it), whichever comes first.</summary>
    private DateTimeOffset? Earliest(DateTimeOffset? expires, uint messageExpirySeconds)
    {
        if (messageExpirySeconds == 0)
        {
            return expires;
        }

        var byMessage = time.GetUtcNow().AddSeconds(messageExpirySeconds);
        return expires is { } own && own < byMessage ? own : byMessage;
    }

    /// <summary>The rate-limit client: the MQTT 5 user property <c>client</c>, else the response topic, else all plain senders together.</summary>
    private static string ClientOf(MqttApplicationMessage message) =>
        (message.UserProperties?.FirstOrDefault(p => p.Name == "client") is { } property ? Encoding.UTF8.GetString(property.ValueBuffer.Span) : null) ?? message.ResponseTopic ?? "mqtt";
}
