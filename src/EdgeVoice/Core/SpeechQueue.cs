using Microsoft.Extensions.Options;

namespace EdgeVoice.Core;

/// <summary>
/// Accepted requests waiting to be spoken: one lane per priority (<c>alarm</c> before <c>high</c>
/// before <c>normal</c>), first come first served within a lane, bounded by <c>Limits:QueueLength</c>
/// in all. A request that interrupts goes to the front of its lane.
/// </summary>
internal sealed class SpeechQueue : IDisposable
{
    private readonly LinkedList<SayRequest>[] _lanes = [new(), new(), new()];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly int _capacity;
    private int _count;

    public SpeechQueue(IOptions<LimitsOptions> limits) => _capacity = limits.Value.QueueLength;

    /// <summary>Requests waiting now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>No request can be added now.</summary>
    public bool IsFull => Count >= _capacity;

    /// <summary>Adds a request; false when the queue is full (the caller answers <c>queue_full</c>).</summary>
    /// <param name="request">The request to queue.</param>
    /// <param name="position">How many requests will be spoken before it.</param>
    /// <param name="accepted">Runs once the request is in, before the lane can take it: its <c>queued</c> event goes out before its <c>started</c>.</param>
    /// <param name="force">Add it even beyond the queue's length (requests read back from the journal).</param>
    public bool TryEnqueue(SayRequest request, out int position, Action<int>? accepted = null, bool force = false)
    {
        lock (_gate)
        {
            position = _count;
            if (_count >= _capacity && !force)
            {
                return false;
            }

            var lane = _lanes[(int)request.Priority];
            position = 0;
            for (var higher = (int)request.Priority + 1; higher < _lanes.Length; higher++)
            {
                position += _lanes[higher].Count;
            }

            if (request.Interrupt)
            {
                lane.AddFirst(request);
            }
            else
            {
                position += lane.Count;
                lane.AddLast(request);
            }

            _count++;
            accepted?.Invoke(position);
        }

        _ready.Release();
        return true;
    }

    /// <summary>The most urgent waiting request, waiting for one if there is none.</summary>
    public async ValueTask<SayRequest> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                for (var lane = _lanes.Length - 1; lane >= 0; lane--)
                {
                    if (_lanes[lane].First is { } first)
                    {
                        _lanes[lane].RemoveFirst();
                        _count--;
                        return first.Value;
                    }
                }
            }

            // The request this signal was for was cancelled meanwhile: wait for the next.
        }
    }

    /// <summary>Takes a waiting request out (cancel); false when no request with that id waits.</summary>
    public bool TryRemove(string id, out SayRequest request)
    {
        lock (_gate)
        {
            foreach (var lane in _lanes)
            {
                for (var node = lane.First; node is not null; node = node.Next)
                {
                    if (node.Value.Id == id)
                    {
                        lane.Remove(node);
                        _count--;
                        request = node.Value;
                        _ = _ready.Wait(0);
                        return true;
                    }
                }
            }
        }

        request = null!;
        return false;
    }

    /// <summary>Takes every waiting request out, most urgent first (stop, shutdown).</summary>
    public List<SayRequest> RemoveAll()
    {
        var removed = new List<SayRequest>();
        lock (_gate)
        {
            for (var lane = _lanes.Length - 1; lane >= 0; lane--)
            {
                removed.AddRange(_lanes[lane]);
                _lanes[lane].Clear();
            }

            _count = 0;
        }

        for (var i = 0; i < removed.Count; i++)
        {
            _ = _ready.Wait(0);
        }

        return removed;
    }

    public void Dispose() => _ready.Dispose();
}
