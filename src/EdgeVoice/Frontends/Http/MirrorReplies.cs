using EdgeVoice.Core;
using EdgeVoice.Core.Journal;

namespace EdgeVoice.Frontends.Http;

/// <summary>
/// The replies of a <c>POST /v1/say</c> request: its refusal answers the call itself, and every event
/// also reaches <c>GET /v1/events</c> (through the core's observers). Durable: nothing of the caller's
/// connection is needed once it has its 202, so the journal keeps such a request across a crash and
/// speaks it after the restart, its events going out on <c>/v1/events</c> as before.
/// </summary>
internal sealed class MirrorReplies(HttpReplies call) : IDurableReplies
{
    /// <summary>No route to write down: after a restart the events go to <c>/v1/events</c> only.</summary>
    public string Route => "events";

    public void Publish(RequestEvent requestEvent) => call.Publish(requestEvent);
}
