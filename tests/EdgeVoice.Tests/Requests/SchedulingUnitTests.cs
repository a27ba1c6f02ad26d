using EdgeVoice.Requests;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Requests;

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
        var clock = new ManualClock();
        var recent = new RecentIds(TimeSpan.FromMinutes(10), clock);

        Assert.True(recent.TryAdd("a"));
        Assert.False(recent.TryAdd("a"));
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.True(recent.TryAdd("b")); // sweeps "a" out
        Assert.True(recent.TryAdd("a"));
    }

    [Fact]
    public void Backoff_DoublesFromTheMinimumToTheMaximum_WithJitter()
    {
        var connection = (MqttConnection)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(MqttConnection));
        typeof(MqttConnection).GetField("_options", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .SetValue(connection, new MqttOptions { ReconnectMinMs = 500, ReconnectMaxMs = 30_000 });

        Assert.InRange(connection.Backoff(0).TotalMilliseconds, 400, 600);
        Assert.InRange(connection.Backoff(3).TotalMilliseconds, 3200, 4800);
        Assert.InRange(connection.Backoff(30).TotalMilliseconds, 24_000, 30_000);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1;

        public void Advance(TimeSpan by) => _ticks += (long)(by.TotalSeconds * TimestampFrequency);

        public override long GetTimestamp() => _ticks;
    }
}
