using EdgeVoice.Core;
using MQTTnet;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>A <c>say</c> request's way back: <c>&lt;base&gt;/events</c>, and its MQTT 5 response topic when it gave one.</summary>
internal sealed class MqttReplies(MqttOutbox outbox, string? responseTopic, byte[]? correlationData) : IRequestReplies
{
    /// <summary>The replies to <paramref name="message"/>: its response topic and correlation data, if any.</summary>
    public static MqttReplies To(MqttOutbox outbox, MqttApplicationMessage? message) =>
        new(outbox, message?.ResponseTopic, message?.CorrelationData);

    public void Publish(RequestEvent requestEvent) => outbox.Publish(requestEvent, responseTopic, correlationData);
}
