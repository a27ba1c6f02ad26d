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
        if (!TryParse(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray(), out var payload, out var problem))
        {
            outbox.Publish(new RequestEvent { Event = RequestEvent.Rejected, Time = time.GetUtcNow(), Code = ErrorCodes.BadRequest, Message = problem });
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

    /// <summary>Reads a <c>hermes/tts/say</c> payload, or says why it cannot be read.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> json, out HermesSayPayload? payload, out string problem)
    {
        payload = null;
        problem = string.Empty;
        if (JsonStrings.TryFindLoneSurrogate(json, out var field))
        {
            problem = "hermes/tts/say: " + JsonStrings.LoneSurrogate(field);
            return false;
        }

        try
        {
            payload = JsonSerializer.Deserialize(json, HermesJsonContext.Default.HermesSayPayload);
            return true;
        }
        catch (JsonException e)
        {
            problem = $"hermes/tts/say is not valid JSON: {e.Message}";
            return false;
        }
    }
}
