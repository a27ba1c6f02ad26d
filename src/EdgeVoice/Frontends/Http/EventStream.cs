using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using EdgeVoice.Core;
using EdgeVoice.Telemetry;

namespace EdgeVoice.Frontends.Http;

/// <summary>
/// Every request event, whatever its front-end, for <c>GET /v1/events</c>: the JSON of
/// <c>&lt;base&gt;/events</c>, one server-sent event each. A listener that falls behind loses its oldest events.
/// </summary>
internal sealed class EventStream : IRequestObserver
{
    private static readonly JsonTypeInfo<RequestEvent> EventJson = JsonText.Readable<RequestEvent>(EventJsonContext.Default);
    private readonly Lock _gate = new();
    private Channel<byte[]>[] _listeners = [];

    public void Observe(RequestEvent requestEvent)
    {
        var listeners = Volatile.Read(ref _listeners);
        if (listeners.Length == 0)
        {
            return;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(requestEvent, EventJson);
        foreach (var listener in listeners)
        {
            listener.Writer.TryWrite(json);
        }
    }

    public Channel<byte[]> Listen()
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _listeners = [.. _listeners, channel];
        }

        return channel;
    }

    public void Leave(Channel<byte[]> channel)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(c => c != channel)];
        }

        channel.Writer.TryComplete();
    }
}
