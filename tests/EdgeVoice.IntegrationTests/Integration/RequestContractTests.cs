using System.Text;
using System.Text.Json;
using EdgeVoice.Audio;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Tests.Integration;

/// <summary>
/// The MQTT contract against a real Mosquitto and the daemon's real host and voice. Playback uses
/// <see cref="PacedSink"/> (real-time paced), because ALSA's null device plays instantly and
/// nothing could be "playing" long enough to be interrupted.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class RequestContractTests(MosquittoBroker broker)
{
    private const string Long = "This is a long announcement. It goes on for a while, so that other requests arrive while it plays. Please listen carefully to every word.";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<(DaemonHost Daemon, EventListener Client, PacedSink Sink)> StartAsync(double pace = 0.5, params (string Key, string Value)[] settings)
    {
        var sink = new PacedSink(pace);
        var all = new Dictionary<string, string?> { ["Mqtt:Broker"] = broker.Address, ["Limits:RequestsPerSecond"] = "0" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var daemon = await DaemonHost.StartAsync(all, services => services.AddSingleton<IAudioSink>(sink));
        var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, $"{daemon.BaseTopic}/#", "reply/#");
        await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", Patience);
        return (daemon, client, sink);
    }

    private static Task SayAsync(EventListener client, DaemonHost daemon, string id, string text, string extra = "") =>
        client.PublishAsync($"{daemon.BaseTopic}/say", $$"""{"id": "{{id}}", "text": "{{text}}"{{extra}}}""");

    private static async Task<JsonElement> EventAsync(EventListener client, DaemonHost daemon, string id, params string[] kinds)
    {
        var text = await client.WaitForAsync($"{daemon.BaseTopic}/events", t =>
        {
            var root = JsonDocument.Parse(t).RootElement;
            return root.TryGetProperty("id", out var i) && i.GetString() == id && kinds.Contains(root.GetProperty("event").GetString());
        }, Patience);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static List<(string? Id, string? Event, string? Code)> Events(EventListener client, DaemonHost daemon) =>
        [.. client.All.Where(m => m.Topic == $"{daemon.BaseTopic}/events").Select(m => JsonDocument.Parse(m.Payload).RootElement)
            .Select(e => (e.TryGetProperty("id", out var i) ? i.GetString() : null, e.GetProperty("event").GetString(), e.TryGetProperty("code", out var c) ? c.GetString() : null))];

    [Fact]
    public async Task Priorities_WhileSomethingPlays_AlarmThenHighThenNormal()
    {
        var (daemon, client, sink) = await StartAsync();
        await using var _ = daemon;
        await using var __ = client;

        await SayAsync(client, daemon, "first", Long);
        await EventAsync(client, daemon, "first", "started");
        await SayAsync(client, daemon, "normal", "A normal one.");
        await SayAsync(client, daemon, "high", "A high one.", """, "priority": "high" """);
        await SayAsync(client, daemon, "alarm", "An alarm.", """, "priority": "alarm" """);
        await EventAsync(client, daemon, "normal", "finished");

        Assert.Equal(["first", "alarm", "high", "normal"], sink.Order);
    }

    [Fact]
    public async Task Interrupt_StopsWhatPlaysWithAFade_AndSpeaksTheNewOneNext()
    {
        var (daemon, client, sink) = await StartAsync(pace: 1.0);
        await using var _ = daemon;
        await using var __ = client;

        await SayAsync(client, daemon, "long", Long);
        await EventAsync(client, daemon, "long", "started");
        await SayAsync(client, daemon, "waiting", "I was waiting.");
        await Task.Delay(700);
        await SayAsync(client, daemon, "urgent", "Stop everything.", """, "interrupt": true""");

        var cancelled = await EventAsync(client, daemon, "long", "cancelled", "finished");
        await EventAsync(client, daemon, "urgent", "finished");
        await EventAsync(client, daemon, "waiting", "finished");

        Assert.Equal("cancelled", cancelled.GetProperty("event").GetString());
        Assert.Contains("interrupted by request urgent", cancelled.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["long", "urgent", "waiting"], sink.Order);

        // It was cut well before its end, and the last 20 ms fade to silence: no click.
        var played = sink.Played["long"];
        Assert.InRange(played.Count, 22050 / 2, 22050 * 5);
        var fade = played[^441..];
        Assert.True(Math.Abs((int)fade[^1]) < 300, $"last sample {fade[^1]}");
        Assert.True(fade.TakeLast(50).Max(s => Math.Abs((int)s)) <= Math.Max(300, fade.Take(50).Max(s => Math.Abs((int)s))), "the ending is louder than the fade's start");
    }

    [Fact]
    public async Task Cancel_AQueuedRequest_AndThenThePlayingOne()
    {
        var (daemon, client, sink) = await StartAsync();
        await using var _ = daemon;
        await using var __ = client;
        await SayAsync(client, daemon, "playing", Long);
        await EventAsync(client, daemon, "playing", "started");
        await SayAsync(client, daemon, "queued", "Never heard.");
        await EventAsync(client, daemon, "queued", "queued");

        await client.PublishAsync($"{daemon.BaseTopic}/cancel", """{"id": "queued"}""");
        var queued = await EventAsync(client, daemon, "queued", "cancelled");
        await client.PublishAsync($"{daemon.BaseTopic}/cancel", """{"id": "playing"}""");
        var playing = await EventAsync(client, daemon, "playing", "cancelled", "finished");
        await client.PublishAsync($"{daemon.BaseTopic}/cancel", """{"id": "nobody"}""");
        var unknown = await EventAsync(client, daemon, "nobody", "rejected");

        Assert.Equal("cancelled", queued.GetProperty("code").GetString());
        Assert.Equal("cancelled", playing.GetProperty("event").GetString());
        Assert.Contains("no request 'nobody'", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("queued", sink.Order);
    }

    [Fact]
    public async Task Cancel_EmptyPayload_CancelsWhatPlays_AndStop_ClearsTheQueueToo()
    {
        var (daemon, client, _) = await StartAsync();
        await using var d = daemon;
        await using var c = client;
        await SayAsync(client, daemon, "one", Long);
        await EventAsync(client, daemon, "one", "started");
        await client.PublishAsync($"{daemon.BaseTopic}/cancel", []);
        await EventAsync(client, daemon, "one", "cancelled");

        await SayAsync(client, daemon, "two", Long);
        await EventAsync(client, daemon, "two", "started");
        await SayAsync(client, daemon, "three", "Waiting.");
        await SayAsync(client, daemon, "four", "Waiting too.");
        await EventAsync(client, daemon, "four", "queued");
        await client.PublishAsync($"{daemon.BaseTopic}/stop", []);

        // The waiting ones are answered at once, the playing one after its fade.
        await EventAsync(client, daemon, "two", "cancelled", "finished");
        var events = Events(client, daemon);
        foreach (var id in new[] { "two", "three", "four" })
        {
            Assert.Contains((id, "cancelled", "cancelled"), events);
            Assert.DoesNotContain(events, e => e.Id == id && e.Event == "finished");
        }
    }

    [Fact]
    public async Task Overflow_ExactlyTheRequestsBeyondTheQueueAreRejected()
    {
        var (daemon, client, _) = await StartAsync(pace: 1.0, ("Limits:QueueLength", "5"));
        await using var d = daemon;
        await using var c = client;
        await SayAsync(client, daemon, "busy", Long);
        await EventAsync(client, daemon, "busy", "started");

        for (var i = 0; i < 12; i++)
        {
            await SayAsync(client, daemon, $"r{i}", $"Request {i}.");
        }

        await EventAsync(client, daemon, "r11", "queued", "rejected");
        var answers = Events(client, daemon).Where(e => e.Id!.StartsWith('r') && e.Event is "queued" or "rejected").ToList();
        Assert.Equal(12, answers.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"r{i}"), answers.Where(a => a.Event == "queued").Select(a => a.Id));
        Assert.All(answers.Where(a => a.Event == "rejected"), a => Assert.Equal("queue_full", a.Code));
        await client.PublishAsync($"{daemon.BaseTopic}/stop", []);
    }

    [Fact]
    public async Task Burst_200RequestsWithRoomForThem_All200FinishInOrder()
    {
        var (daemon, client, sink) = await StartAsync(pace: 0, ("Limits:QueueLength", "256"));
        await using var d = daemon;
        await using var c = client;

        for (var i = 0; i < 200; i++)
        {
            await SayAsync(client, daemon, $"b{i:000}", $"Number {i}.");
        }

        await EventAsync(client, daemon, "b199", "finished", "failed");

        var finished = Events(client, daemon).Where(e => e.Event == "finished").Select(e => e.Id).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"b{i:000}"), finished);
        Assert.Equal(200, sink.Order.Count);
    }

    [Fact]
    public async Task SameIdTwice_IsAnsweredAndSpokenOnce()
    {
        var (daemon, client, sink) = await StartAsync(pace: 0);
        await using var d = daemon;
        await using var c = client;

        await SayAsync(client, daemon, "twice", "Only once.");
        await SayAsync(client, daemon, "twice", "Only once.");
        await SayAsync(client, daemon, "after", "And then this.");
        await EventAsync(client, daemon, "after", "finished");

        Assert.Equal(1, Events(client, daemon).Count(e => e is { Id: "twice", Event: "queued" }));
        Assert.Equal(1, Events(client, daemon).Count(e => e is { Id: "twice", Event: "finished" }));
        Assert.Equal(["twice", "after"], sink.Order);
    }

    [Fact]
    public async Task ResponseTopic_GetsTheEventsWithTheCorrelationData()
    {
        var (daemon, client, _) = await StartAsync(pace: 0);
        await using var d = daemon;
        await using var c = client;

        await client.PublishAsync($"{daemon.BaseTopic}/say", Encoding.UTF8.GetBytes("""{"id": "rt", "text": "Reply to me."}"""),
            m => m.WithResponseTopic("reply/kiosk-7").WithCorrelationData([1, 2, 3]));
        var reply = await client.WaitForAsync("reply/kiosk-7", t => t.Contains("\"finished\"", StringComparison.Ordinal), Patience);

        Assert.Equal("rt", JsonDocument.Parse(reply).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task RateLimit_AClientOverItsBudget_IsRefusedWithItsCode()
    {
        var (daemon, client, _) = await StartAsync(pace: 0, ("Limits:RequestsPerSecond", "0.5"), ("Limits:Burst", "2"));
        await using var d = daemon;
        await using var c = client;

        for (var i = 0; i < 5; i++)
        {
            await SayAsync(client, daemon, $"q{i}", "Quick.");
        }

        await EventAsync(client, daemon, "q4", "queued", "rejected");
        var answers = Events(client, daemon).Where(e => e.Id!.StartsWith('q') && e.Event is "queued" or "rejected").ToList();
        Assert.Equal(2, answers.Count(a => a.Event == "queued"));
        Assert.Equal(3, answers.Count(a => a.Code == "rate_limited"));
    }

    [Fact]
    public async Task AudioLimit_StopsAtTheLimit_AndFailsWithTooLong()
    {
        var (daemon, client, sink) = await StartAsync(pace: 0, ("Limits:MaxAudioSeconds", "2"));
        await using var d = daemon;
        await using var c = client;

        await SayAsync(client, daemon, "endless", Long);
        var failed = await EventAsync(client, daemon, "endless", "failed", "finished");

        Assert.Equal("too_long", failed.GetProperty("code").GetString());
        Assert.InRange(sink.Played["endless"].Count, 22050, 2 * 22050);
    }
}
