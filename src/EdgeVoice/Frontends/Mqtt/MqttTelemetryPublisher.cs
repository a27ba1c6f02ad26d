using EdgeVoice.Telemetry;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>The periodic telemetry report, on <c>&lt;base&gt;/telemetry</c>.</summary>
internal sealed class MqttTelemetryPublisher(MqttOutbox outbox) : ITelemetryPublisher
{
    public void Publish(TelemetryReport report) =>
        outbox.Enqueue(MqttOutbox.Json($"{outbox.Topics.Base}/telemetry", TelemetryJson.Serialize(report)));
}
