namespace EdgeVoice.Core;

/// <summary>
/// Ids of requests accepted lately, so a QoS 1 redelivery (or a client's retry) of the same
/// request is answered once and spoken once. Bounded in time and in number.
/// </summary>
internal sealed class RecentIds(TimeSpan window, TimeProvider time, int capacity = 10_000)
{
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long At)> _order = new();
    private readonly Lock _gate = new();

    /// <summary>Records <paramref name="id"/>; false when it was already seen within the window.</summary>
    public bool TryAdd(string id)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            while (_order.TryPeek(out var oldest) && (time.GetElapsedTime(oldest.At, now) > window || _order.Count >= capacity))
            {
                _order.Dequeue();
                if (_seen.TryGetValue(oldest.Id, out var at) && at == oldest.At)
                {
                    _seen.Remove(oldest.Id);
                }
            }

            if (_seen.ContainsKey(id))
            {
                return false;
            }

            _seen[id] = now;
            _order.Enqueue((id, now));
            return true;
        }
    }
}
