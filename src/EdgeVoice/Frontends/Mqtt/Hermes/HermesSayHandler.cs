using System.Buffers;
using System.Text.Json;
using EdgeVoice.Core;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Packets;

namespace EdgeVoice.Frontends.Mqtt.Hermes;

/// <summary>A Hermes <c>hermes/tts/say</c>: spoken when it is for this site, answered on the Hermes topics.</summary>
internal sealed class HermesSayHandler(IOptions<HermesOptions> options, MqttOutbox outbox, SayRequestParser parser, Admission admission, TimeProvider time) : IMqttTopicHandler
{
    /// <summary>The <c>protocol</c> label of requests that come this way.</summary>
    public const string Frontend = "hermes";

    private readonly HermesOptions _hermes = options.Value;

    public IEnumerable<MqttTopicFilter> Subscriptions => _hermes.Enabled ? [MqttSubscriptions.Requests(HermesTopics.SayTopic)] : [];

    public bool Handles(string topic) => _hermes.Enabled && topic == HermesTopics.SayTopic;

    public void Handle(MqttApplicationMessage message)
    {
        HermesSayPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray(), HermesJsonContext.Default.HermesSayPayload);
        }
        catch (JsonException e)
        {
            outbox.Publish(new RequestEvent { Event = RequestEvent.Rejected, Time = time.GetUtcNow(), Code = ErrorCodes.BadRequest, Message = $"hermes/tts/say is not valid JSON: {e.Message}" });
            return;
        }

        if (payload is null || (payload.SiteId ?? "default") != _hermes.SiteId)
        {
            return; // for another site
        }

        var origin = new HermesOrigin(_hermes.SiteId, payload.SessionId);
        var candidate = new SayRequest(string.IsNullOrEmpty(payload.Id) ? Guid.NewGuid().ToString("N")[..12] : payload.Id, payload.Text ?? string.Empty, null, time.GetTimestamp())
        {
            Volume = Math.Clamp(payload.Volume ?? 1.0, 0, 1),
            Frontend = Frontend,
            Replies = new HermesReplies(outbox, origin),
            CallerId = !string.IsNullOrEmpty(payload.Id),
        };
        if (!parser.Validate(candidate, out var request, out var error))
        {
            admission.Reject(error, candidate);
            return;
        }

        admission.Submit(request, $"hermes:{origin.SiteId}");
    }
}
