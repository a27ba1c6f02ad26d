using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using EdgeVoice.Core;
using EdgeVoice.Core.Journal;
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
    private readonly Channel<OutboxMessage> _messages = Channel.CreateBounded<OutboxMessage>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    private readonly IDeliveryReceipts? _receipts;

    public MqttOutbox(IOptions<MqttOptions> options, IDeliveryReceipts? receipts = null)
    {
        Topics = new MqttTopics(options.Value.BaseTopic);
        _receipts = receipts;
    }

    public MqttTopics Topics { get; }

    public ChannelReader<OutboxMessage> Reader => _messages.Reader;

    /// <summary>An event on <c>&lt;base&gt;/events</c>, and a copy on <paramref name="responseTopic"/> (MQTT 5) with its correlation data.</summary>
    /// <param name="requestEvent">The event.</param>
    /// <param name="responseTopic">The request's MQTT 5 response topic, if it gave one.</param>
    /// <param name="correlationData">Its correlation data, sent back with the copy.</param>
    /// <param name="delivered">Tell the journal once its last message is sent (a request's last event); false when the caller sends more after it.</param>
    public void Publish(RequestEvent requestEvent, string? responseTopic = null, byte[]? correlationData = null, bool delivered = true)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(requestEvent, EventJson);
        var receipt = delivered ? ReceiptFor(requestEvent) : null;
        Enqueue(Json(Topics.Events, json), responseTopic is null ? receipt : null);
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

            Enqueue(reply.Build(), receipt);
        }
    }

    /// <summary>Queues a message; <paramref name="sent"/> runs once the broker has it (PUBACK).</summary>
    public void Enqueue(MqttApplicationMessage message, Action? sent = null) => _messages.Writer.TryWrite(new OutboxMessage(message, sent));

    /// <summary>What tells the journal a request's last event has been delivered; null for any other event.</summary>
    public Action? ReceiptFor(RequestEvent requestEvent) =>
        _receipts is { } receipts && requestEvent.IsFinal && requestEvent.Request is { JournalSeq: > 0 and var seq }
            ? () => receipts.Delivered(seq)
            : null;

    public static MqttApplicationMessage Json(string topic, byte[] json, bool retain = false) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(json)
        .WithContentType("application/json")
        .WithRetainFlag(retain)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();
}

/// <summary>A message waiting in the outbox, and what to do once the broker has it.</summary>
internal sealed record OutboxMessage(MqttApplicationMessage Message, Action? Sent);

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
