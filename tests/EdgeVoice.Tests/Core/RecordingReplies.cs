using EdgeVoice.Core;

namespace EdgeVoice.Tests.Core;

/// <summary>A request's replies that keep every event it was sent, in order (thread-safe).</summary>
internal class RecordingReplies : IRequestReplies
{
    private readonly List<RequestEvent> _events = [];

    public List<RequestEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Publish(RequestEvent requestEvent)
    {
        lock (_events)
        {
            _events.Add(requestEvent);
        }
    }
}
