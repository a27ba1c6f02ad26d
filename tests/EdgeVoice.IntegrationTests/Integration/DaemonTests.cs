using System.Text.Json;
using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Integration;

/// <summary>
/// The whole daemon, end to end, with real parts: a Mosquitto broker, the daemon's own host,
/// libespeak-ng, and libasound writing through ALSA's file plugin.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class DaemonTests(MosquittoBroker broker) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _capture = Path.Combine(Path.GetTempPath(), $"edgevoice-capture-{Guid.NewGuid():N}.raw");
    private DaemonHost _daemon = null!;
    private EventListener _client = null!;

    private string Events => $"{_daemon.BaseTopic}/events";

    private string Say => $"{_daemon.BaseTopic}/say";

    public async Task InitializeAsync()
    {
        _daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Broker"] = broker.Address,
            ["Audio:Sink"] = "alsa:" + AlsaCapture.Device(_capture),
            ["Limits:MaxPayloadBytes"] = "1024",
        });
        _client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, $"{_daemon.BaseTopic}/#");
        await _client.WaitForAsync($"{_daemon.BaseTopic}/availability", t => t == "online", Patience);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _daemon.DisposeAsync();
        File.Delete(_capture);
    }

    [Fact]
    public async Task Say_JsonRequest_ReportsStartedAndFinishedWithItsIdAndPlaysSpeech()
    {
        await _client.PublishAsync(Say, """{"id": "greeting-1", "text": "Hello there. This is EdgeVoice speaking from the kiosk."}""");

        var queued = await _client.WaitForEventAsync(Events, Patience, "queued", "rejected", "started");
        var started = await _client.WaitForEventAsync(Events, Patience, "started", "failed");
        var finished = await _client.WaitForEventAsync(Events, Patience, "finished", "failed");

        Assert.Equal("queued", queued.GetProperty("event").GetString());
        Assert.Equal("greeting-1", started.GetProperty("id").GetString());
        Assert.Equal("started", started.GetProperty("event").GetString());
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Assert.Equal("greeting-1", finished.GetProperty("id").GetString());
        Assert.Equal(2, finished.GetProperty("chunks").GetInt32());
        Assert.True(finished.GetProperty("time_to_first_audio_ms").GetDouble() > 0);
        Assert.True(finished.GetProperty("real_time_factor").GetDouble() > 0);
        Assert.True(finished.GetProperty("synthesis_ms").GetDouble() > 0);

        // What libasound received is what the event says was played, and it is speech.
        var sampleRate = finished.GetProperty("sample_rate").GetInt32();
        var samples = AlsaCapture.ReadSamples(_capture);
        var capturedMs = samples.Length * 1000.0 / sampleRate;
        Assert.Equal(finished.GetProperty("audio_ms").GetDouble(), capturedMs, 1.0);
        Speech.AssertPlausible(samples, sampleRate, words: 9);
    }

    [Fact]
    public async Task Say_PlainText_IsSpokenUnderAGeneratedId()
    {
        await _client.PublishAsync(Say, "Hello");

        var finished = await _client.WaitForEventAsync(Events, Patience, "finished", "failed", "rejected");

        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Assert.False(string.IsNullOrEmpty(finished.GetProperty("id").GetString()));
        Assert.Equal(1, finished.GetProperty("chunks").GetInt32());
        Speech.AssertPlausible(AlsaCapture.ReadSamples(_capture), finished.GetProperty("sample_rate").GetInt32(), words: 1);
    }

    [Fact]
    public async Task Say_BadPayloads_AreEachRejectedWithTheirCode_AndTheNextGoodRequestIsServed()
    {
        await _client.PublishAsync(Say, []);
        await _client.PublishAsync(Say, """{"id": "broken", "text": """);
        await _client.PublishAsync(Say, [0x48, 0x69, 0xFF, 0xFE, 0x21]);
        await _client.PublishAsync(Say, new string('a', 2000));
        await _client.PublishAsync(Say, """{"id": "who", "text": "Hi", "voice": "no-such-voice"}""");
        await _client.PublishAsync(Say, """{"id": "after-the-bad-ones", "text": "Still here."}""");

        var codes = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            var rejected = await _client.WaitForEventAsync(Events, Patience, "rejected");
            Assert.False(string.IsNullOrWhiteSpace(rejected.GetProperty("message").GetString()));
            codes.Add(rejected.GetProperty("code").GetString());
        }

        Assert.Equal(["bad_request", "bad_request", "bad_request", "too_long", "unknown_voice"], codes);
        var finished = await _client.WaitForEventAsync(Events, Patience, "finished", "failed");
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Assert.Equal("after-the-bad-ones", finished.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Say_Ssml_IsSpoken_AndMalformedSsmlIsRejectedWithItsPosition()
    {
        await _client.PublishAsync(Say, """{"id": "bad", "format": "ssml", "text": "<speak>Hello <break time=\"soon\"/></speak>"}""");
        await _client.PublishAsync(Say, """{"id": "good", "format": "ssml", "text": "<speak>Hello <break time=\"300ms\"/> <emphasis>world</emphasis>.</speak>"}""");

        var rejected = await _client.WaitForEventAsync(Events, Patience, "rejected", "finished");
        var finished = await _client.WaitForEventAsync(Events, Patience, "finished", "failed");

        Assert.Equal(("rejected", "bad", "bad_request"), (rejected.GetProperty("event").GetString(), rejected.GetProperty("id").GetString(), rejected.GetProperty("code").GetString()));
        Assert.Contains("line 1, column", rejected.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("good", finished.GetProperty("id").GetString());
        Assert.Equal(2, finished.GetProperty("chunks").GetInt32());
        Assert.Contains("<emphasis>", finished.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Say_Markers_AreNotReadAloud_UnknownOnesAreReported()
    {
        await _client.PublishAsync(Say, """{"id": "m1", "text": "Hello [uv_break] there [giggle]."}""");

        var finished = await _client.WaitForEventAsync(Events, Patience, "finished", "failed");

        Assert.Equal(2, finished.GetProperty("chunks").GetInt32());
        Assert.Equal("unknown marker [giggle] was not read aloud", finished.GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public async Task Say_SeveralRequests_AreSpokenOneAfterAnotherInArrivalOrder()
    {
        string[] ids = ["first", "second", "third"];
        foreach (var id in ids)
        {
            await _client.PublishAsync(Say, JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id, ["text"] = $"This is the {id} one." }));
        }

        var finishedOrder = new List<string?>();
        for (var i = 0; i < ids.Length; i++)
        {
            var finished = await _client.WaitForEventAsync(Events, Patience, "finished", "failed");
            finishedOrder.Add(finished.GetProperty("id").GetString());
        }

        Assert.Equal(ids, finishedOrder);
    }
}
