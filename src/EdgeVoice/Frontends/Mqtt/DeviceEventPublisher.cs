using EdgeVoice.Core;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>
/// Device events, about no request (a kiosk button was pressed), on <c>&lt;base&gt;/events</c>. A request's
/// own events reach MQTT through its replies, so only events without a request are published here.
/// </summary>
internal sealed class DeviceEventPublisher(MqttOutbox outbox) : IRequestObserver
{
    public void Observe(RequestEvent requestEvent)
    {
        if (requestEvent.Request is null)
        {
            outbox.Publish(requestEvent);
        }
    }
}
