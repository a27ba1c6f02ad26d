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
    /// <summary>Hears each event before the request's front-end does (the journal: written, then sent).</summary>
    bool BeforeReplies => false;

    void Observe(RequestEvent requestEvent);
}

/// <summary>Where the core sends a request's events: to the request's own replies, then to every observer.</summary>
internal interface IRequestEvents
{
    void Publish(RequestEvent requestEvent);
}

/// <summary>
/// The core's fan-out: observers that record before replying (the journal), the request's front-end
/// (so its order is kept), then the other observers.
/// </summary>
internal sealed class RequestEvents(IEnumerable<IRequestObserver> observers) : IRequestEvents
{
    private readonly IRequestObserver[] _first = [.. observers.Where(o => o.BeforeReplies)];
    private readonly IRequestObserver[] _observers = [.. observers.Where(o => !o.BeforeReplies)];

    public void Publish(RequestEvent requestEvent)
    {
        foreach (var observer in _first)
        {
            observer.Observe(requestEvent);
        }

        requestEvent.Request?.Replies?.Publish(requestEvent);
        foreach (var observer in _observers)
        {
            observer.Observe(requestEvent);
        }
    }
}
