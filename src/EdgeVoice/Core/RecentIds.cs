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

    /// <summary>Whether <paramref name="id"/> was seen within the window.</summary>
    public bool Contains(string id)
    {
        lock (_gate)
        {
            return _seen.TryGetValue(id, out var at) && time.GetElapsedTime(at) <= window;
        }
    }

    /// <summary>Forgets <paramref name="id"/> (its request was refused after all: it may be sent again).</summary>
    public void Remove(string id)
    {
        lock (_gate)
        {
            _seen.Remove(id);
        }
    }

    /// <summary>Records <paramref name="id"/> as seen <paramref name="ago"/> (ids read back from the journal, oldest first); false when it was already seen.</summary>
    public bool TryAdd(string id, TimeSpan ago = default)
    {
        var now = time.GetTimestamp() - (long)(ago.TotalSeconds * time.TimestampFrequency);
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
