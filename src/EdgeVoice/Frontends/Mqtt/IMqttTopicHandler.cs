using MQTTnet;
using MQTTnet.Packets;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>One topic (or a few) the session subscribes to, and what a message there does.</summary>
internal interface IMqttTopicHandler
{
    /// <summary>The subscriptions, made again on each connection.</summary>
    IEnumerable<MqttTopicFilter> Subscriptions { get; }

    bool Handles(string topic);

    void Handle(MqttApplicationMessage message);
}

/// <summary>Something published on each connection, before <c>online</c> (the info, the Home Assistant discovery).</summary>
internal interface IMqttAnnouncer
{
    IEnumerable<MqttApplicationMessage> Announcements();
}

/// <summary>Subscriptions as the request topics want them.</summary>
internal static class MqttSubscriptions
{
    /// <summary>QoS 1 into the persistent session; retained requests are not replayed on subscribing.</summary>
    public static MqttTopicFilter Requests(string topic) => new MqttTopicFilterBuilder()
        .WithTopic(topic)
        .WithAtLeastOnceQoS()
        .WithNoLocal(false)
        .WithRetainAsPublished(false)
        .WithRetainHandling(MQTTnet.Protocol.MqttRetainHandling.DoNotSendOnSubscribe)
        .Build();
}
