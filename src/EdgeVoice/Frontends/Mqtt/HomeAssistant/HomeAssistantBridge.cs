using System.Text;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace EdgeVoice.Frontends.Mqtt.HomeAssistant;

/// <summary>
/// Announces the daemon to Home Assistant on each connection, and again when Home Assistant says
/// <c>online</c> on its status topic (it forgets discovered devices when it restarts).
/// </summary>
internal sealed class HomeAssistantBridge(IOptions<HomeAssistantOptions> options, IOptions<MqttOptions> mqtt, MqttOutbox outbox) : IMqttTopicHandler, IMqttAnnouncer
{
    private readonly HomeAssistantOptions _options = options.Value;

    public IEnumerable<MqttTopicFilter> Subscriptions => _options.Enabled
        ? [new MqttTopicFilterBuilder().WithTopic(HomeAssistantDiscovery.StatusTopic(_options)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()]
        : [];

    public bool Handles(string topic) => _options.Enabled && topic == HomeAssistantDiscovery.StatusTopic(_options);

    public void Handle(MqttApplicationMessage message)
    {
        if (Encoding.UTF8.GetString(message.Payload) == "online")
        {
            outbox.Enqueue(Discovery());
        }
    }

    public IEnumerable<MqttApplicationMessage> Announcements() => _options.Enabled ? [Discovery()] : [];

    private MqttApplicationMessage Discovery() => MqttOutbox.Json(
        HomeAssistantDiscovery.ConfigTopic(_options, mqtt.Value.Device),
        Encoding.UTF8.GetBytes(HomeAssistantDiscovery.Discovery(mqtt.Value.Device, DaemonInfoAnnouncer.Version, outbox.Topics).ToJsonString()),
        retain: true);
}
