using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Requests;

/// <summary>Accepted requests waiting to be spoken, in arrival order, bounded by <c>Limits:QueueLength</c>.</summary>
internal sealed class SpeechQueue
{
    private readonly Channel<SayRequest> _channel;
    private int _count;

    public SpeechQueue(IOptions<LimitsOptions> limits)
    {
        _channel = Channel.CreateBounded<SayRequest>(new BoundedChannelOptions(limits.Value.QueueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Requests waiting now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds a request; false when the queue is full (the caller answers <c>queue_full</c>).</summary>
    public bool TryEnqueue(SayRequest request, out int position)
    {
        position = Count;
        if (!_channel.Writer.TryWrite(request))
        {
            return false;
        }

        Interlocked.Increment(ref _count);
        return true;
    }

    public async ValueTask<SayRequest> DequeueAsync(CancellationToken cancellationToken)
    {
        var request = await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _count);
        return request;
    }

    /// <summary>Takes every waiting request without blocking (used at shutdown to answer them).</summary>
    public IEnumerable<SayRequest> DrainWaiting()
    {
        while (_channel.Reader.TryRead(out var request))
        {
            Interlocked.Decrement(ref _count);
            yield return request;
        }
    }
}
