using System.Text;
using System.Text.Json;
using EdgeVoice.Audio;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Tests.Integration;

/// <summary>Rhasspy/Snips Hermes and Home Assistant, and every payload answered, on a real Mosquitto.</summary>
[Collection(MosquittoGroup.Name)]
public sealed class IntegrationProtocolTests(MosquittoBroker broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<(DaemonHost Daemon, EventListener Client, PacedSink Sink)> StartAsync(string site, params string[] topics)
    {
        var sink = new PacedSink(pace: 0);
        var daemon = await DaemonHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Mqtt:Broker"] = broker.Address,
                ["Limits:RequestsPerSecond"] = "0",
                ["Limits:QueueLength"] = "10000",
                ["Hermes:SiteId"] = site,
            },
            services => services.AddSingleton<IAudioSink>(sink));
        var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, [$"{daemon.BaseTopic}/#", .. topics]);
        await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", Patience);
        return (daemon, client, sink);
    }

    [Fact]
    public async Task Hermes_SayForThisSite_IsSpokenAndFinished_OtherSitesAreLeftAlone()
    {
        var site = "kitchen-" + Guid.NewGuid().ToString("N")[..6];
        var (daemon, client, sink) = await StartAsync(site, "hermes/tts/sayFinished", "hermes/error/tts");
        await using var d = daemon;
        await using var c = client;

        await client.PublishAsync("hermes/tts/say", $$"""{"text": "Not for me.", "siteId": "elsewhere", "id": "h0", "sessionId": "s0"}""");
        await client.PublishAsync("hermes/tts/say", $$"""{"text": "The oven is hot.", "siteId": "{{site}}", "lang": "en", "id": "h1", "sessionId": "s1", "volume": 0.5, "extra": true}""");
        await client.PublishAsync("hermes/tts/say", $$"""{"text": "", "siteId": "{{site}}", "id": "h2", "sessionId": "s2"}""");

        var finished = JsonDocument.Parse(await client.WaitForAsync("hermes/tts/sayFinished", t => t.Contains("\"h1\"", StringComparison.Ordinal), Patience)).RootElement;

        // The refusal of the empty one came earlier, at once.
        var error = JsonDocument.Parse(client.All.Single(m => m.Topic == "hermes/error/tts").Payload).RootElement;
        Assert.Equal("s2", error.GetProperty("sessionId").GetString());
        Assert.DoesNotContain(client.All, m => m.Topic == "hermes/tts/sayFinished" && m.Payload.Contains("\"h0\"", StringComparison.Ordinal));

        Assert.Equal(("h1", site, "s1"), (finished.GetProperty("id").GetString(), finished.GetProperty("siteId").GetString(), finished.GetProperty("sessionId").GetString()));
        Assert.Contains("bad_request", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(["h1"], sink.Order);
        Assert.True(sink.Played["h1"].Max(s => Math.Abs((int)s)) <= 16384 + 1, "volume 0.5 halves the samples");
    }

    [Fact]
    public async Task HomeAssistant_Discovery_CarriesWhatHomeAssistantRequires_AndIsRepublishedWhenItComesBack()
    {
        var (daemon, client, sink) = await StartAsync("default");
        await using var d = daemon;
        await using var c = client;
        var device = daemon.Device;
        var topic = $"homeassistant/device/{device}/config";
        await using var watcher = await EventListener.ConnectAsync("127.0.0.1", broker.Port, topic);

        var discovery = JsonDocument.Parse(await watcher.WaitForAsync(topic, _ => true, Patience)).RootElement;

        var dev = discovery.GetProperty("dev");
        Assert.NotEmpty(dev.GetProperty("ids").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(dev.GetProperty("name").GetString()));
        Assert.Equal("EdgeVoice", discovery.GetProperty("o").GetProperty("name").GetString());
        Assert.Equal($"{daemon.BaseTopic}/availability", discovery.GetProperty("avty_t").GetString());
        var components = discovery.GetProperty("cmps").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.All(components.Values, component =>
        {
            Assert.False(string.IsNullOrEmpty(component.GetProperty("p").GetString()));
            Assert.False(string.IsNullOrEmpty(component.GetProperty("uniq_id").GetString()));
        });
        Assert.Equal(components.Count, components.Values.Select(v => v.GetProperty("uniq_id").GetString()).Distinct().Count());
        var firstAudio = components["time_to_first_audio"];
        Assert.Equal(("sensor", "duration", "ms", $"{daemon.BaseTopic}/events"), (firstAudio.GetProperty("p").GetString(), firstAudio.GetProperty("dev_cla").GetString(), firstAudio.GetProperty("unit_of_meas").GetString(), firstAudio.GetProperty("stat_t").GetString()));
        Assert.Contains("time_to_first_audio_ms", firstAudio.GetProperty("val_tpl").GetString(), StringComparison.Ordinal);
        var notify = components["say"];
        Assert.Equal(("notify", $"{daemon.BaseTopic}/say"), (notify.GetProperty("p").GetString(), notify.GetProperty("cmd_t").GetString()));

        // The notify entity speaks: Home Assistant publishes the message as it is.
        await client.PublishAsync(notify.GetProperty("cmd_t").GetString()!, "Someone is at the door.");
        await client.WaitForAsync($"{daemon.BaseTopic}/events", t => t.Contains("\"finished\"", StringComparison.Ordinal), Patience);
        Assert.Single(sink.Order);

        // Home Assistant restarted: announced again.
        await client.PublishAsync("homeassistant/status", "online");
        Assert.Contains("\"cmps\"", await watcher.WaitForAsync(topic, _ => true, Patience), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenThousandRandomOrMalformedPayloads_NoCrash_EachAnswered()
    {
        var (daemon, client, _) = await StartAsync("default");
        await using var d = daemon;
        await using var c = client;
        var random = new Random(7);
        string[] shapes = ["{", "{\"text\": ", "{\"text\": 5}", "{\"id\": \"x\"}", "{\"text\": \"hi\", \"priority\": \"maybe\"}", "[1,2]", "{\"text\": \"\\u0000\"}", "null", "{\"text\": \"<speak>\", \"format\": \"ssml\"}"];

        const int count = 10_000;
        for (var i = 0; i < count; i++)
        {
            byte[] payload = (i % 4) switch
            {
                0 => Encoding.UTF8.GetBytes(shapes[random.Next(shapes.Length)]),
                1 => [.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => (byte)random.Next(256))],
                2 => Encoding.UTF8.GetBytes("{\"id\": \"" + i + "\", \"text\": " + JsonSerializer.Serialize(new string([.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => (char)random.Next(32, 0xD7FF))])) + "}"),
                _ => [],
            };
            await client.PublishAsync($"{daemon.BaseTopic}/say", payload);
        }

        // Every payload gets a first answer: queued or rejected.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        int answered;
        do
        {
            await Task.Delay(200);
            answered = client.All.Count(m => m.Topic == $"{daemon.BaseTopic}/events" && m.Payload.Contains("\"event\":\"queued\"", StringComparison.Ordinal) || m.Payload.Contains("\"event\":\"rejected\"", StringComparison.Ordinal));
        }
        while (answered < count && DateTime.UtcNow < deadline);

        Assert.Equal(count, answered);
        await client.PublishAsync($"{daemon.BaseTopic}/stop", []);
    }
}
