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
        if (!TryParse(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray(), out var id, out var error))
        {
            admission.Reject(error, SayHandler.Frontend, MqttReplies.To(outbox, message));
            return;
        }

        if (admission.Cancel(id, id is null ? "cancelled while playing" : "cancelled by request") == CancelResult.NotFound && id is not null)
        {
            admission.Reject(new RequestError(ErrorCodes.BadRequest, $"cancel: no request '{id}' is waiting or playing", id), SayHandler.Frontend, MqttReplies.To(outbox, message));
        }
    }

    /// <summary>Reads a cancel payload: the id to cancel (null: what is playing), or the refusal.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> payload, out string? id, out RequestError error)
    {
        id = null;
        error = null!;
        if (payload.IsEmpty)
        {
            return true;
        }

        if (JsonStrings.TryFindLoneSurrogate(payload, out var field))
        {
            error = new RequestError(ErrorCodes.BadRequest, "cancel: " + JsonStrings.LoneSurrogate(field));
            return false;
        }

        try
        {
            id = JsonSerializer.Deserialize(payload, RequestJsonContext.Default.CancelPayload)?.Id;
            return true;
        }
        catch (JsonException e)
        {
            error = new RequestError(ErrorCodes.BadRequest, "cancel: " + SayRequestParser.DescribeJsonError(e, default));
            return false;
        }
    }
}
