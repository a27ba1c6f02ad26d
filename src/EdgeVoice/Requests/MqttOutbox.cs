using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using EdgeVoice.Hosting;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeVoice.Requests;

/// <summary>
/// Everything EdgeVoice publishes goes through this one ordered outbox, so nothing is lost while
/// the link is down: events on <c>&lt;base&gt;/events</c>, a copy on the request's MQTT 5 response
/// topic (with its correlation data), and the Hermes replies of Hermes requests.
/// </summary>
internal sealed class MqttOutbox : IRequestEvents
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

    public void Publish(RequestEvent requestEvent)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(requestEvent, EventJson);
        Enqueue(Json(Topics.Events, json));

        var request = requestEvent.Request;
        if (request?.ResponseTopic is { } responseTopic)
        {
            var reply = new MqttApplicationMessageBuilder()
                .WithTopic(responseTopic)
                .WithPayload(json)
                .WithContentType("application/json")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (request.CorrelationData is { } correlation)
            {
                reply.WithCorrelationData(correlation);
            }

            Enqueue(reply.Build());
        }

        if (request?.Hermes is { } hermes)
        {
            switch (requestEvent.Event)
            {
                case RequestEvent.Finished or RequestEvent.Cancelled:
                    var finished = new HermesSayFinished(request.Id, hermes.SiteId, hermes.SessionId);
                    Enqueue(Json(Hermes.SayFinishedTopic, JsonSerializer.SerializeToUtf8Bytes(finished, HermesJsonContext.Default.HermesSayFinished)));
                    break;
                case RequestEvent.Failed or RequestEvent.Rejected:
                    var error = new HermesError($"{requestEvent.Code}: {requestEvent.Message}", request.Text, hermes.SiteId, hermes.SessionId);
                    Enqueue(Json(Hermes.ErrorTopic, JsonSerializer.SerializeToUtf8Bytes(error, HermesJsonContext.Default.HermesError)));
                    break;
            }
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
}
