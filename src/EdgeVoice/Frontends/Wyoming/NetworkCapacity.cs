using EdgeVoice.Audio;
using EdgeVoice.Core;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>
/// How synthesis capacity is shared between the local lane and network clients. The local lane never
/// waits on anything here. Network syntheses run at most <c>Wyoming:MaxConcurrentSyntheses</c> at once,
/// and each one yields between the pieces it synthesises while a local <c>high</c> or <c>alarm</c>
/// request waits or speaks: the machine's cores go to the announcement first.
/// </summary>
internal sealed class NetworkCapacity(IOptions<WyomingOptions> options) : IRequestObserver, IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentSyntheses, options.Value.MaxConcurrentSyntheses);
    private readonly ManualResetEventSlim _clear = new(initialState: true);
    private readonly HashSet<string> _urgent = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Local urgent requests waiting or speaking now.</summary>
    public int Urgent
    {
        get
        {
            lock (_gate)
            {
                return _urgent.Count;
            }
        }
    }

    /// <summary>Waits for a network synthesis slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_slots);
    }

    /// <summary>The voice as network requests use it: the same voice, yielding while the local lane is urgent.</summary>
    public IVoice Yielding(IVoice voice) => voice is YieldingVoice ? voice : new YieldingVoice(voice, this);

    /// <summary>Blocks (a synthesis thread) while a local urgent request waits or speaks.</summary>
    public void YieldToLocal(CancellationToken cancellationToken)
    {
        if (!_clear.IsSet)
        {
            _clear.Wait(cancellationToken);
        }
    }

    public void Observe(RequestEvent requestEvent)
    {
        if (requestEvent.Request is not { } request || request.Frontend == WyomingServer.Frontend || request.Priority < Priority.High || string.IsNullOrEmpty(request.Id))
        {
            return;
        }

        lock (_gate)
        {
            var changed = requestEvent.Event switch
            {
                RequestEvent.Queued or RequestEvent.Started => _urgent.Add(request.Id),
                RequestEvent.Finished or RequestEvent.Failed or RequestEvent.Cancelled or RequestEvent.Rejected => _urgent.Remove(request.Id),
                _ => false,
            };
            if (changed)
            {
                if (_urgent.Count == 0)
                {
                    _clear.Set();
                }
                else
                {
                    _clear.Reset();
                }
            }
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _clear.Dispose();
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }

    /// <summary>A voice that waits for the local lane before each chunk and between the pieces of a streaming voice.</summary>
    private sealed class YieldingVoice(IVoice inner, NetworkCapacity capacity) : IVoice
    {
        public string Name => inner.Name;

        public string Engine => inner.Engine;

        public string Language => inner.Language;

        public string Provider => inner.Provider;

        public AudioFormat Format => inner.Format;

        public short[] Synthesize(TextChunk chunk, CancellationToken cancellationToken)
        {
            capacity.YieldToLocal(cancellationToken);
            return inner.Synthesize(chunk, cancellationToken);
        }

        public IEnumerable<short[]> SynthesizePieces(TextChunk chunk, CancellationToken cancellationToken)
        {
            capacity.YieldToLocal(cancellationToken);
            foreach (var piece in inner.SynthesizePieces(chunk, cancellationToken))
            {
                yield return piece;
                capacity.YieldToLocal(cancellationToken);
            }
        }
    }
}
