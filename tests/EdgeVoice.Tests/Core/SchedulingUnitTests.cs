using EdgeVoice.Core;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeVoice.Tests.Core;

public sealed class SchedulingUnitTests
{
    private static SayRequest Request(string id, Priority priority = Priority.Normal, bool interrupt = false) =>
        new(id, "text", null, 0) { Priority = priority, Interrupt = interrupt };

    [Fact]
    public async Task Queue_MostUrgentFirst_FirstComeFirstServedWithinALane_InterruptsToTheFront()
    {
        using var queue = new SpeechQueue(Options.Create(new LimitsOptions { QueueLength = 10 }));
        queue.TryEnqueue(Request("n1"), out _);
        queue.TryEnqueue(Request("h1", Priority.High), out _);
        queue.TryEnqueue(Request("n2"), out var n2Position);
        queue.TryEnqueue(Request("a1", Priority.Alarm), out var alarmPosition);
        queue.TryEnqueue(Request("n0", interrupt: true), out var interruptPosition);

        var order = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            order.Add((await queue.DequeueAsync(CancellationToken.None)).Id);
        }

        Assert.Equal(["a1", "h1", "n0", "n1", "n2"], order);
        Assert.Equal((2, 0, 2), (n2Position, alarmPosition, interruptPosition));
    }

    [Fact]
    public async Task Queue_RemovedRequests_AreNeverDequeued_AndFullIsFull()
    {
        using var queue = new SpeechQueue(Options.Create(new LimitsOptions { QueueLength = 3 }));
        queue.TryEnqueue(Request("a"), out _);
        queue.TryEnqueue(Request("b"), out _);
        queue.TryEnqueue(Request("c"), out _);

        Assert.False(queue.TryEnqueue(Request("d"), out var position));
        Assert.Equal(3, position);
        Assert.True(queue.TryRemove("b", out _));
        Assert.False(queue.TryRemove("b", out _));
        Assert.Equal("a", (await queue.DequeueAsync(CancellationToken.None)).Id);
        Assert.Equal("c", (await queue.DequeueAsync(CancellationToken.None)).Id);
        Assert.True(queue.TryEnqueue(Request("x"), out _));
        Assert.Equal("x", Assert.Single(queue.RemoveAll()).Id);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void RecentIds_SecondSightingWithinTheWindowIsADuplicate_AfterItIsNew()
    {
        var clock = new FakeTimeProvider();
        var recent = new RecentIds(TimeSpan.FromMinutes(10), clock);

        Assert.True(recent.TryAdd("a"));
        Assert.False(recent.TryAdd("a"));
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.True(recent.TryAdd("b")); // sweeps "a" out
        Assert.True(recent.TryAdd("a"));
    }
}
