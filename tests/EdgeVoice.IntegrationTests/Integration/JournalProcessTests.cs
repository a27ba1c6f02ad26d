using System.Text.Json;
using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Integration;

/// <summary>
/// Nothing accepted is lost: the daemon as its own process, killed (SIGKILL) or stopped (SIGTERM) while
/// requests wait, then started again on the same journal, against a Mosquitto that persists sessions.
/// The WAV sink is paced in real time (<c>Audio:WavRealTime</c>) so the queue is still full when it dies.
/// </summary>
public sealed class JournalProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly MosquittoBroker _broker = new() { Persistent = true };
    private readonly string _root = Path.Combine(Path.GetTempPath(), "edgevoice-journal-tests", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => _broker.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Wavs => Path.Combine(_root, "wav");

    private string Journal => Path.Combine(_root, "state");

    private DaemonProcess Start(string device, params string[] more) => DaemonProcess.Start(
        ["serve", "--broker", _broker.Address, "--device", device, "--sink", $"wav:{Wavs}", "--Audio:WavRealTime=true",
         $"--Journal:Directory={Journal}", "--Limits:RequestsPerSecond=0", "--Audio:WavKeepFiles=0", .. more]);

    private static string Say(string id, int n) =>
        $$"""{"id": "{{id}}", "text": "Announcement number {{n}}. The train to the city leaves from platform {{n}}."}""";

    [Theory]
    [InlineData(9)]
    [InlineData(15)]
    public async Task KilledOrStoppedMidQueue_EveryAcceptedRequestIsSpokenExactlyOnce_AfterTheRestart(int signal)
    {
        var device = $"journal-{signal}-{Guid.NewGuid():N}"[..24];
        var topic = $"edgevoice/{device}";
        await using var client = await EventListener.ConnectAsync("127.0.0.1", _broker.Port, persistent: true, $"{topic}/events", $"{topic}/availability");
        var ids = Enumerable.Range(0, 6).Select(i => $"r{i}").ToArray();

        using (var first = Start(device))
        {
            await client.WaitForAsync($"{topic}/availability", t => t == "online", Patience);
            for (var i = 0; i < ids.Length; i++)
            {
                await client.PublishAsync($"{topic}/say", Say(ids[i], i));
            }

            // The first has been spoken, the second is being spoken, four wait.
            await WaitForAsync(client, topic, e => Kind(e) == "started" && Id(e) == "r1", first);
            await Task.Delay(1200);
            if (signal == 9)
            {
                first.KillHard();
            }
            else
            {
                first.Terminate();
                Assert.Equal(0, await first.WaitForExitAsync(Patience));
            }

            Assert.DoesNotContain(Events(client, topic), e => Kind(e) is "failed" or "cancelled");
        }

        // A QoS 1 redelivery of requests already accepted (a crash between the commit and the PUBACK looks like this to the daemon).
        await client.PublishAsync($"{topic}/say", Say("r0", 0));
        await client.PublishAsync($"{topic}/say", Say("r3", 3));

        using var second = Start(device);
        await WaitAllFinishedAsync(client, topic, ids, second);
        await Task.Delay(1500); // anything spoken twice would show by now

        var events = Events(client, topic);
        foreach (var id in ids)
        {
            Assert.Equal(1, events.Count(e => Id(e) == id && Kind(e) == "finished"));
            Assert.DoesNotContain(events, e => Id(e) == id && Kind(e) is "failed" or "cancelled" or "rejected");
        }

        // Each was spoken once; the one cut short resumed at its first chunk not fully played.
        var files = Directory.GetFiles(Wavs, "*.wav").Select(Path.GetFileNameWithoutExtension).ToList();
        var perId = ids.ToDictionary(id => id, id => files.Count(f => f!.EndsWith("-" + id, StringComparison.Ordinal)));
        Assert.All(perId.Where(p => p.Key != "r1"), p => Assert.True(p.Value == 1, $"{p.Key} written {p.Value} times\n{second.Output}"));
        Assert.InRange(perId["r1"], 1, 2);
        var resumed = events.Single(e => Id(e) == "r1" && Kind(e) == "finished");
        Assert.True(resumed.TryGetProperty("resumed", out var flag) && flag.GetBoolean(), resumed.ToString());
        Assert.Equal(new[] { "r0", "r1", "r2", "r3", "r4", "r5" }, events.Where(e => Kind(e) == "finished").Select(Id).ToArray());

        second.Terminate();
        Assert.Equal(0, await second.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task AfterARestart_ExpiredAndTooOldRequestsAreReportedExpired_NotSpoken()
    {
        var device = $"expiry-{Guid.NewGuid():N}"[..20];
        var topic = $"edgevoice/{device}";
        await using var client = await EventListener.ConnectAsync("127.0.0.1", _broker.Port, persistent: true, $"{topic}/events", $"{topic}/availability");
        using (var first = Start(device))
        {
            await client.WaitForAsync($"{topic}/availability", t => t == "online", Patience);
            await client.PublishAsync($"{topic}/say", $$"""{"id": "long", "text": "{{string.Join(' ', Enumerable.Range(1, 6).Select(i => $"This is sentence {i} of a long announcement."))}}"}""");
            await client.PublishAsync($"{topic}/say", """{"id": "short-lived", "text": "Too late for this.", "ttl_seconds": 1}""");
            await client.PublishAsync($"{topic}/say", Say("late", 2));
            await WaitForAsync(client, topic, e => Kind(e) == "started" && Id(e) == "long", first);
            await Task.Delay(1500);
            first.KillHard();
        }

        await Task.Delay(2500);
        using var second = Start(device, "--Requests:ReplayMaxAgeSeconds=2");
        await WaitForAsync(client, topic, e => Kind(e) == "expired" && Id(e) == "late", second);

        var events = Events(client, topic);
        string? Code(string id) => events.Single(e => Id(e) == id && Kind(e) == "expired").GetProperty("code").GetString();
        Assert.Equal(("expired", "replay_too_old", "replay_too_old"), (Code("short-lived"), Code("late"), Code("long")));
        Assert.DoesNotContain(events, e => Id(e) is "late" or "short-lived" && Kind(e) is "started" or "finished");
        Assert.Single(events, e => Id(e) == "long" && Kind(e) == "started");
        second.Terminate();
        Assert.Equal(0, await second.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task ARequestWhoseTtlPassesWhileItWaits_IsReportedExpired_WhenItsTurnComes()
    {
        var device = $"ttl-{Guid.NewGuid():N}"[..16];
        var topic = $"edgevoice/{device}";
        await using var client = await EventListener.ConnectAsync("127.0.0.1", _broker.Port, $"{topic}/events", $"{topic}/availability");
        using var daemon = Start(device);
        await client.WaitForAsync($"{topic}/availability", t => t == "online", Patience);
        await client.PublishAsync($"{topic}/say", Say("first", 1));
        await client.PublishAsync($"{topic}/say", """{"id": "brief", "text": "Too late for this.", "ttl_seconds": 1}""");
        await client.PublishAsync($"{topic}/say", Say("third", 3));
        await WaitForAsync(client, topic, e => Kind(e) == "finished" && Id(e) == "third", daemon);

        var events = Events(client, topic);
        var expired = events.Single(e => Id(e) == "brief" && Kind(e) == "expired");
        Assert.Equal("expired", expired.GetProperty("code").GetString());
        Assert.DoesNotContain(events, e => Id(e) == "brief" && Kind(e) is "started" or "finished");
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task ACorruptJournal_IsMovedAside_AndTheDaemonWorksOnAFreshOne()
    {
        Directory.CreateDirectory(Journal);
        await File.WriteAllBytesAsync(Path.Combine(Journal, "journal.db"), [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7919 % 251))]);
        var device = $"corrupt-{Guid.NewGuid():N}"[..20];
        var topic = $"edgevoice/{device}";
        await using var client = await EventListener.ConnectAsync("127.0.0.1", _broker.Port, $"{topic}/events", $"{topic}/availability");
        using var daemon = Start(device);
        await client.WaitForAsync($"{topic}/availability", t => t == "online", Patience);
        await client.PublishAsync($"{topic}/say", """{"id": "after-corruption", "text": "Still working."}""");
        var finished = await client.WaitForEventAsync($"{topic}/events", Patience, "finished", "failed", "rejected");

        Assert.True(Kind(finished) == "finished", $"{finished}\n{daemon.Output}");
        Assert.Single(Directory.GetFiles(Journal, "journal.db.corrupt-*"));
        Assert.Contains("moved aside", daemon.Output, StringComparison.Ordinal);
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task AFailedBackgroundService_EndsTheProcessWithANonZeroExitCode_AndALineNamingIt()
    {
        var garbage = Path.Combine(_root, "garbage-ca.pem");
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(garbage, "this is not a certificate");
        using var daemon = Start($"fault-{Guid.NewGuid():N}"[..16], "--Mqtt:Tls=true", $"--Mqtt:CaFile={garbage}");
        var code = await daemon.WaitForExitAsync(Patience);
        Assert.NotEqual(0, code);
        Assert.True(daemon.Output.Contains("garbage-ca", StringComparison.Ordinal) || daemon.Output.Contains("MqttSession", StringComparison.Ordinal), daemon.Output);
    }

    private static string? Kind(JsonElement e) => e.GetProperty("event").GetString();

    private static string? Id(JsonElement e) => e.TryGetProperty("id", out var id) ? id.GetString() : null;

    private static List<JsonElement> Events(EventListener client, string topic) =>
        [.. client.All.Where(m => m.Topic == $"{topic}/events").Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone())];

    private static async Task WaitForAsync(EventListener client, string topic, Func<JsonElement, bool> match, DaemonProcess daemon)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!Events(client, topic).Any(match))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"events seen: {string.Join(", ", Events(client, topic).Select(e => $"{Id(e)}:{Kind(e)}"))}\n{daemon.Output}");
            }

            await Task.Delay(100);
        }
    }

    private static Task WaitAllFinishedAsync(EventListener client, string topic, string[] ids, DaemonProcess daemon) =>
        WaitForAsync(client, topic, _ => ids.All(id => Events(client, topic).Any(e => Id(e) == id && Kind(e) is "finished" or "expired")), daemon);
}
