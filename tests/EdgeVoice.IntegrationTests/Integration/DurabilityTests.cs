using System.Text.Json;
using EdgeVoice.Audio;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Tests.Integration;

/// <summary>Nothing accepted is lost: a broker that dies mid-stream, and a daemon that is down while requests are sent.</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly MosquittoBroker _broker = new() { Persistent = true };

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    [Fact]
    public async Task BrokerRestartMidStream_AndRequestsSentWhileTheDaemonIsDown_AreAllSpokenOnce()
    {
        var device = "durable-" + Guid.NewGuid().ToString("N")[..6];
        var sink = new PacedSink(pace: 0.2);
        var settings = new Dictionary<string, string?> { ["Mqtt:Broker"] = _broker.Address, ["Limits:RequestsPerSecond"] = "0" };
        void Sink(IServiceCollection services) => services.AddSingleton<IAudioSink>(sink);
        var topic = $"edgevoice/{device}";

        var daemon = await DaemonHost.StartAsync(settings, Sink, device);
        await using var client = await EventListener.ConnectAsync("127.0.0.1", _broker.Port, persistent: true, $"{topic}/events", $"{topic}/availability");
        await client.WaitForAsync($"{topic}/availability", t => t == "online", Patience);

        // Five requests, and the broker dies while they are being spoken.
        for (var i = 0; i < 5; i++)
        {
            await client.PublishAsync($"{topic}/say", $$"""{"id": "a{{i}}", "text": "Before the broker restarts, number {{i}}."}""");
        }

        await client.WaitForAsync($"{topic}/events", t => t.Contains("\"started\"", StringComparison.Ordinal), Patience);
        await _broker.KillAsync();
        await Task.Delay(500);
        await _broker.RestartAsync();
        await client.ReconnectAsync();
        for (var i = 0; i < 5; i++)
        {
            await client.PublishAsync($"{topic}/say", $$"""{"id": "b{{i}}", "text": "After the broker restarted, number {{i}}."}""");
        }

        await WaitFinishedAsync(client, topic, [.. Enumerable.Range(0, 5).Select(i => $"a{i}"), .. Enumerable.Range(0, 5).Select(i => $"b{i}")]);

        // The daemon stops; requests sent meanwhile wait in its session on the broker.
        await daemon.DisposeAsync();
        for (var i = 0; i < 5; i++)
        {
            await client.PublishAsync($"{topic}/say", $$"""{"id": "c{{i}}", "text": "While the daemon was away, number {{i}}."}""");
        }

        await using (await DaemonHost.StartAsync(settings, Sink, device))
        {
            await WaitFinishedAsync(client, topic, [.. Enumerable.Range(0, 5).Select(i => $"c{i}")]);
        }

        // Each was spoken exactly once.
        var spoken = sink.Order.ToList();
        Assert.Equal(15, spoken.Count);
        Assert.Equal(15, spoken.Distinct().Count());
    }

    private static async Task WaitFinishedAsync(EventListener client, string topic, string[] ids)
    {
        var waiting = ids.ToHashSet();
        var deadline = DateTime.UtcNow + Patience;
        while (waiting.Count > 0)
        {
            var events = client.All.Where(m => m.Topic == $"{topic}/events").Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();
            waiting.ExceptWith(events.Where(e => e.GetProperty("event").GetString() == "finished").Select(e => e.GetProperty("id").GetString()!));
            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join(", ", events.Select(e => $"{(e.TryGetProperty("id", out var i) ? i.GetString() : "-")}:{e.GetProperty("event").GetString()}"));
                Assert.Fail($"not finished: {string.Join(", ", waiting)}; events seen: {seen}");
            }

            await Task.Delay(100);
        }
    }
}
