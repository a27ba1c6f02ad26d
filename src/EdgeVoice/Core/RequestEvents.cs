namespace EdgeVoice.Core;

/// <summary>
/// A front-end's way back to the caller of one request: each request carries its own
/// (<see cref="SayRequest.Replies"/>), so its events reach the front-end that accepted it.
/// </summary>
internal interface IRequestReplies
{
    void Publish(RequestEvent requestEvent);
}

/// <summary>Hears every request event, whatever its front-end (a journal, an audit log).</summary>
internal interface IRequestObserver
{
    void Observe(RequestEvent requestEvent);
}

/// <summary>Where the core sends a request's events: to the request's own replies, then to every observer.</summary>
internal interface IRequestEvents
{
    void Publish(RequestEvent requestEvent);
}

/// <summary>The core's fan-out: the request's front-end first (so its order is kept), then the observers.</summary>
internal sealed class RequestEvents(IEnumerable<IRequestObserver> observers) : IRequestEvents
{
    private readonly IRequestObserver[] _observers = [.. observers];

    public void Publish(RequestEvent requestEvent)
    {
        requestEvent.Request?.Replies?.Publish(requestEvent);
        foreach (var observer in _observers)
        {
            observer.Observe(requestEvent);
        }
    }
}
