using System.Buffers;
using System.Text.Json;
using EdgeVoice.Core;
using MQTTnet;
using MQTTnet.Packets;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary><c>&lt;base&gt;/cancel</c>: <c>{"id": "…"}</c> cancels that request, waiting or playing; an empty payload cancels what is playing.</summary>
internal sealed class CancelHandler(MqttOutbox outbox, Admission admission) : IMqttTopicHandler
{
    public IEnumerable<MqttTopicFilter> Subscriptions => [MqttSubscriptions.Requests(outbox.Topics.Cancel)];

    public bool Handles(string topic) => topic == outbox.Topics.Cancel;

    public void Handle(MqttApplicationMessage message)
    {
        string? id = null;
        if (message.Payload.Length > 0)
        {
            try
            {
                id = JsonSerializer.Deserialize(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray(), RequestJsonContext.Default.CancelPayload)?.Id;
            }
            catch (JsonException e)
            {
                admission.Reject(new RequestError(ErrorCodes.BadRequest, "cancel: " + SayRequestParser.DescribeJsonError(e, default)), SayHandler.Frontend, MqttReplies.To(outbox, message));
                return;
            }
        }

        if (admission.Cancel(id, id is null ? "cancelled while playing" : "cancelled by request") == CancelResult.NotFound && id is not null)
        {
            admission.Reject(new RequestError(ErrorCodes.BadRequest, $"cancel: no request '{id}' is waiting or playing", id), SayHandler.Frontend, MqttReplies.To(outbox, message));
        }
    }
}
