namespace EdgeVoice.Core.Journal;

/// <summary>
/// A front-end's replies that can be written down with the request and rebuilt after a restart (an
/// MQTT response topic and correlation data, a Hermes site and session). Requests whose
/// <see cref="SayRequest.Replies"/> are not durable (a client connection that dies with the process:
/// Wyoming, an HTTP stream) are not journaled: they are answered as before, and lost with the process.
/// </summary>
internal interface IDurableReplies : IRequestReplies
{
    /// <summary>The route, as text the front-end's <see cref="IReplyRouteCodec"/> reads back.</summary>
    string Route { get; }
}

/// <summary>Rebuilds the replies of one front-end's journaled requests after a restart (registered once per front-end).</summary>
internal interface IReplyRouteCodec
{
    /// <summary>The <see cref="SayRequest.Frontend"/> whose routes it reads.</summary>
    string Frontend { get; }

    /// <summary>The replies written down as <paramref name="route"/>.</summary>
    IRequestReplies Restore(string route);
}

/// <summary>Told when a request's last event has left the process (an MQTT PUBACK), so the journal can forget it.</summary>
internal interface IDeliveryReceipts
{
    void Delivered(long journalSeq);
}
