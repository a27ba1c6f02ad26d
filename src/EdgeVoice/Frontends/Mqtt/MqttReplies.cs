using System.Text.Json;
using EdgeVoice.Core;
using EdgeVoice.Core.Journal;
using MQTTnet;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>
/// A <c>say</c> request's way back: <c>&lt;base&gt;/events</c>, and its MQTT 5 response topic when it gave
/// one. Durable: the journal keeps the route (response topic, correlation data) and rebuilds it after a restart.
/// </summary>
internal sealed class MqttReplies(MqttOutbox outbox, string? responseTopic, byte[]? correlationData) : IDurableReplies
{
    /// <summary>The replies to <paramref name="message"/>: its response topic and correlation data, if any.</summary>
    public static MqttReplies To(MqttOutbox outbox, MqttApplicationMessage? message) =>
        new(outbox, message?.ResponseTopic, message?.CorrelationData);

    public string Route => MqttRoute.Write(null, responseTopic, correlationData, null);

    public void Publish(RequestEvent requestEvent) => outbox.Publish(requestEvent, responseTopic, correlationData);
}

/// <summary>The MQTT front-end's reply routes as the journal keeps them: a small JSON object.</summary>
internal static class MqttRoute
{
    public static string Write(string? kind, string? responseTopic, byte[]? correlationData, string? siteId, string? sessionId = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (kind is not null)
            {
                writer.WriteString("kind", kind);
            }

            if (responseTopic is not null)
            {
                writer.WriteString("response_topic", responseTopic);
            }

            if (correlationData is not null)
            {
                writer.WriteBase64String("correlation_data", correlationData);
            }

            if (siteId is not null)
            {
                writer.WriteString("site_id", siteId);
            }

            if (sessionId is not null)
            {
                writer.WriteString("session_id", sessionId);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static (string? ResponseTopic, byte[]? CorrelationData, string? SiteId, string? SessionId) Read(string route)
    {
        using var document = JsonDocument.Parse(route);
        var root = document.RootElement;
        return (
            root.TryGetProperty("response_topic", out var topic) ? topic.GetString() : null,
            root.TryGetProperty("correlation_data", out var correlation) ? correlation.GetBytesFromBase64() : null,
            root.TryGetProperty("site_id", out var site) ? site.GetString() : null,
            root.TryGetProperty("session_id", out var session) ? session.GetString() : null);
    }
}

/// <summary>Rebuilds the replies of journaled MQTT <c>say</c> requests.</summary>
internal sealed class MqttReplyRouteCodec(MqttOutbox outbox) : IReplyRouteCodec
{
    public string Frontend => SayHandler.Frontend;

    public IRequestReplies Restore(string route)
    {
        var (topic, correlation, _, _) = MqttRoute.Read(route);
        return new MqttReplies(outbox, topic, correlation);
    }
}
