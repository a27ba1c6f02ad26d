using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using EdgeVoice.Core;
using EdgeVoice.Telemetry;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>
/// Everything EdgeVoice publishes over MQTT goes through this one ordered outbox, so nothing is lost
/// while the link is down: events on <c>&lt;base&gt;/events</c>, a copy on the request's MQTT 5 response
/// topic (with its correlation data), the Hermes replies of Hermes requests, telemetry.
/// </summary>
internal sealed class MqttOutbox
{
    private const int Capacity = 10_000;
    private static readonly JsonTypeInfo<RequestEvent> EventJson = JsonText.Readable<RequestEvent>(EventJsonContext.Default);
    private readonly Channel<MqttApplicationMessage> _messages = Channel.CreateBounded<MqttApplicationMessage>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    public MqttOutbox(IOptions<MqttOptions> options) => Topics = new MqttTopics(options.Value.BaseTopic);

    public MqttTopics Topics { get; }

    public ChannelReader<MqttApplicationMessage> Reader => _messages.Reader;

    /// <summary>An event on <c>&lt;base&gt;/events</c>, and a copy on <paramref name="responseTopic"/> (MQTT 5) with its correlation data.</summary>
    public void Publish(RequestEvent requestEvent, string? responseTopic = null, byte[]? correlationData = null)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(requestEvent, EventJson);
        Enqueue(Json(Topics.Events, json));
        if (responseTopic is not null)
        {
            var reply = new MqttApplicationMessageBuilder()
                .WithTopic(responseTopic)
                .WithPayload(json)
                .WithContentType("application/json")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (correlationData is { } correlation)
            {
                reply.WithCorrelationData(correlation);
            }

            Enqueue(reply.Build());
        }
    }

    public void Enqueue(MqttApplicationMessage message) => _messages.Writer.TryWrite(message);

    public static MqttApplicationMessage Json(string topic, byte[] json, bool retain = false) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(json)
        .WithContentType("application/json")
        .WithRetainFlag(retain)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();
}

/// <summary>The topics under <c>&lt;prefix&gt;/&lt;device&gt;</c>: the product's public API.</summary>
internal sealed record MqttTopics(string Base)
{
    public string Say => $"{Base}/say";

    public string Cancel => $"{Base}/cancel";

    public string Stop => $"{Base}/stop";

    public string Events => $"{Base}/events";

    public string Availability => $"{Base}/availability";

    public string Info => $"{Base}/info";

    /// <summary>Sets the device volume, 0 to 100.</summary>
    public string Volume => $"{Base}/volume";

    /// <summary>The device volume now (retained).</summary>
    public string VolumeState => $"{Base}/volume/state";
}
