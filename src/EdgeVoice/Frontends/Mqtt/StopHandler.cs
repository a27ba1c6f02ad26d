using EdgeVoice.Core;
using MQTTnet;
using MQTTnet.Packets;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary><c>&lt;base&gt;/stop</c>: cancels what is playing and everything waiting.</summary>
internal sealed class StopHandler(MqttOutbox outbox, Admission admission) : IMqttTopicHandler
{
    public IEnumerable<MqttTopicFilter> Subscriptions => [MqttSubscriptions.Requests(outbox.Topics.Stop)];

    public bool Handles(string topic) => topic == outbox.Topics.Stop;

    public void Handle(MqttApplicationMessage message) => admission.Stop("stopped by a stop request");
}
