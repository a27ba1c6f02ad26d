using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeVoice.Frontends.Wyoming;
using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Frontends.Wyoming;

/// <summary>The Wyoming server of a running daemon, through a client written from the protocol.</summary>
public sealed class WyomingServerTests(WyomingDaemon daemon) : IClassFixture<WyomingDaemon>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Describe_ListsOneStreamingTtsProgram_WithEveryVoice_ItsLanguages_AndSpeakers()
    {
        await using var client = await WyomingClient.ConnectAsync(daemon.Port);
        await client.SendAsync("describe");
        var info = await client.ReadAsync(Patience);

        Assert.NotNull(info);
        Assert.Equal("info", info.Type);
        Assert.Equal(0, info.Data.GetProperty("asr").GetArrayLength());
        var tts = Assert.Single(info.Data.GetProperty("tts").EnumerateArray());
        Assert.Equal("edgevoice", tts.GetProperty("name").GetString());
        Assert.True(tts.GetProperty("installed").GetBoolean());
        Assert.True(tts.GetProperty("supports_synthesize_streaming").GetBoolean());
        Assert.False(string.IsNullOrEmpty(tts.GetProperty("version").GetString()));
        Assert.False(string.IsNullOrEmpty(tts.GetProperty("attribution").GetProperty("name").GetString()));
        var voices = tts.GetProperty("voices").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Contains("espeak", voices.Keys);
        Assert.Equal("de_DE", voices["de_DE-test-x_low"].GetProperty("languages")[0].GetString());
        Assert.Equal(JsonValueKind.Null, voices["de_DE-test-x_low"].GetProperty("speakers").ValueKind);
        Assert.Equal(["alice", "bob", "carol"], voices["en_US-multi-x_low"].GetProperty("speakers").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(voices.Values, v => Assert.True(v.GetProperty("installed").GetBoolean()));
    }

    [Fact]
    public async Task Synthesize_SendsOneAudioStartChunksAndStop_OfSpeechTheLengthOfTheText()
    {
        await using var client = await WyomingClient.ConnectAsync(daemon.Port);
        const string text = "Hello there. This is a test of the Wyoming server, with two sentences and a clause.";
        await client.SendAsync("synthesize", $$$"""{"text": "{{{text}}}", "voice": {"name": "espeak"}}""");
        var events = await client.ReadUntilAsync("audio-stop", Patience);

        var audio = Assert.Single(WyomingAudio.From(events));
        Assert.Equal((22050, 2, 1), (audio.Rate, audio.Width, audio.Channels));
        Assert.InRange(audio.LargestChunk, 1, 1024);
        Assert.True(audio.Chunks > 10, $"{audio.Chunks} chunks");
        Speech.AssertPlausible(audio.Samples, audio.Rate, text.Split(' ').Length);
    }

    [Fact]
    public async Task Synthesize_WithDataInline_AndByLanguageOrSpeaker_PicksTheVoice()
    {
        await using var client = await WyomingClient.ConnectAsync(daemon.Port);
        await client.SendAsync("synthesize", """{"text": "Guten Tag.", "voice": {"language": "de-DE"}}""", inline: true);
        var german = Assert.Single(WyomingAudio.From(await client.ReadUntilAsync("audio-stop", Patience)));
        Assert.Equal(16000, german.Rate);

        await client.SendAsync("synthesize", """{"text": "Good day.", "voice": {"name": "en_US-multi-x_low", "speaker": "bob"}}""");
        var bob = Assert.Single(WyomingAudio.From(await client.ReadUntilAsync("audio-stop", Patience)));
        Assert.Equal(16000, bob.Rate);
        Assert.NotEmpty(bob.Samples);

        await client.SendAsync("synthesize", """{"text": "Good day."}""");
        Assert.Equal(22050, Assert.Single(WyomingAudio.From(await client.ReadUntilAsync("audio-stop", Patience))).Rate); // the default: espeak

        await client.SendAsync("synthesize", """{"text": "Good day.", "voice": {"name": "nobody"}}""");
        var error = await client.ReadAsync(Patience);
        Assert.Equal("error", error!.Type);
        Assert.Equal("unknown_voice", error.Data.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Streaming_SplitMidSentence_SpeaksEachSentenceAsSoonAsItIsComplete_ThenSaysStopped()
    {
        await using var client = await WyomingClient.ConnectAsync(daemon.Port);
        await client.SendAsync("synthesize-start", """{"voice": {"name": "espeak"}}""");
        await client.SendAsync("synthesize-chunk", """{"text": "The first sen"}""");
        await client.SendAsync("synthesize-chunk", """{"text": "tence is spoken here. The sec"}""");

        // The first sentence is complete: its audio comes before the stream is stopped.
        var first = await client.ReadUntilAsync("audio-stop", Patience);
        await client.SendAsync("synthesize-chunk", """{"text": "ond one follows it, a little longer than the first"}""");
        await client.SendAsync("synthesize", """{"text": "The first sentence is spoken here. The second one follows it, a little longer than the first."}""");
        await client.SendAsync("synthesize-chunk", """{"text": "."}""");
        await client.SendAsync("synthesize-stop");
        var rest = await client.ReadUntilAsync("synthesize-stopped", Patience);

        var sets = WyomingAudio.From([.. first, .. rest]);
        Assert.Equal(2, sets.Count); // the backward-compatible synthesize was ignored
        Assert.All(sets, s => Assert.Equal((22050, 2, 1), (s.Rate, s.Width, s.Channels)));
        Speech.AssertPlausible(sets[0].Samples, 22050, 6);
        Speech.AssertPlausible(sets[1].Samples, 22050, 10);
        Assert.True(sets[1].Samples.Length > sets[0].Samples.Length);
        Assert.Equal("synthesize-stopped", rest[^1].Type);
    }

    [Fact]
    public async Task TwoClientsAtOnce_EachGetsItsOwnAudio()
    {
        await using var a = await WyomingClient.ConnectAsync(daemon.Port);
        await using var b = await WyomingClient.ConnectAsync(daemon.Port);
        await a.SendAsync("synthesize", """{"text": "Short one.", "voice": {"name": "espeak"}}""");
        await b.SendAsync("synthesize", """{"text": "This is the longer of the two requests, spoken to the second client at the same time.", "voice": {"name": "espeak"}}""");
        var both = await Task.WhenAll(a.ReadUntilAsync("audio-stop", Patience), b.ReadUntilAsync("audio-stop", Patience));

        var shortAudio = Assert.Single(WyomingAudio.From(both[0]));
        var longAudio = Assert.Single(WyomingAudio.From(both[1]));
        Speech.AssertPlausible(shortAudio.Samples, 22050, 2);
        Speech.AssertPlausible(longAudio.Samples, 22050, 16);
        Assert.True(longAudio.Samples.Length > 3 * shortAudio.Samples.Length);
    }

    [Theory]
    [InlineData("not json at all\n", "bad_event")]
    [InlineData("{\"data\": {}}\n", "bad_event")]
    [InlineData("{\"type\": \"synthesize\", \"data_length\": 999999999}\n", "too_large")]
    [InlineData("{\"type\": \"audio-chunk\", \"payload_length\": 999999999}\n", "too_large")]
    [InlineData("{\"type\": \"transcribe\"}\n", "unknown_event")]
    [InlineData("{\"type\": \"synthesize\", \"data_length\": 5}\n[1,2]", "bad_event")]
    public async Task Garbage_IsAnsweredWithAnError_AndClosed_OthersUnaffected(string garbage, string code)
    {
        await using var other = await WyomingClient.ConnectAsync(daemon.Port);
        await other.SendAsync("synthesize", """{"text": "Still speaking to the other client while one sends garbage.", "voice": {"name": "espeak"}}""");

        await using (var bad = await WyomingClient.ConnectAsync(daemon.Port))
        {
            await bad.SendRawAsync(Encoding.UTF8.GetBytes(garbage));
            var error = await bad.ReadAsync(Patience);
            Assert.Equal("error", error!.Type);
            Assert.Equal(code, error.Data.GetProperty("code").GetString());
            Assert.False(string.IsNullOrEmpty(error.Data.GetProperty("text").GetString()));
            Assert.Null(await bad.ReadAsync(Patience)); // closed
        }

        Speech.AssertPlausible(Assert.Single(WyomingAudio.From(await other.ReadUntilAsync("audio-stop", Patience))).Samples, 22050, 10);
        await using var fresh = await WyomingClient.ConnectAsync(daemon.Port);
        await fresh.SendAsync("describe");
        Assert.Equal("info", (await fresh.ReadAsync(Patience))!.Type);
    }

    [Fact]
    public async Task AnIdleConnection_TimesOut()
    {
        await using var client = await WyomingClient.ConnectAsync(daemon.Port);
        var started = DateTime.UtcNow;
        var error = await client.ReadAsync(Patience);
        var waited = DateTime.UtcNow - started;

        Assert.Equal("error", error!.Type);
        Assert.Equal("idle_timeout", error.Data.GetProperty("code").GetString());
        Assert.InRange(waited.TotalSeconds, WyomingDaemon.IdleTimeoutSeconds - 0.5, WyomingDaemon.IdleTimeoutSeconds + 10);
        Assert.Null(await client.ReadAsync(Patience));
    }

    [Fact]
    public async Task AClientThatStopsReading_DoesNotHoldUpAnother()
    {
        // A long text to a client that never reads: its send queue fills; the other client is served meanwhile.
        using var stalled = new TcpClient();
        stalled.ReceiveBufferSize = 4096;
        await stalled.ConnectAsync(IPAddress.Loopback, daemon.Port);
        var text = string.Join(' ', Enumerable.Repeat("This sentence is repeated to make a long text for a client that does not read.", 30));
        var header = $"{{\"type\": \"synthesize\", \"data\": {{\"text\": \"{text}\", \"voice\": {{\"name\": \"espeak\"}}}}}}\n";
        await stalled.GetStream().WriteAsync(Encoding.UTF8.GetBytes(header));

        await using var other = await WyomingClient.ConnectAsync(daemon.Port);
        await other.SendAsync("synthesize", """{"text": "The other client is not held up.", "voice": {"name": "espeak"}}""");
        var audio = Assert.Single(WyomingAudio.From(await other.ReadUntilAsync("audio-stop", TimeSpan.FromSeconds(30))));
        Speech.AssertPlausible(audio.Samples, 22050, 6);
    }

    [Fact]
    public async Task Zeroconf_AnswersAQueryForWyomingServices()
    {
        var answer = await QueryAsync(new IPEndPoint(IPAddress.Parse("224.0.0.251"), 5353)) ?? await QueryAsync(new IPEndPoint(IPAddress.Loopback, 5353));
        if (answer is null)
        {
            // This machine does not deliver multicast (nor 5353) to the test: check the advertisement as it would be sent.
            using var responder = new MdnsResponder(daemon.ZeroconfName, "testhost", daemon.Port, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            answer = responder.Answer(7, [new DnsQuestion(MdnsResponder.ServiceType, DnsRecord.Ptr)], legacy: true)!;
        }

        var records = DnsWire.ReadRecords(answer);
        var ptr = records.Single(r => r.Record.Type == DnsRecord.Ptr && r.Record.Name == MdnsResponder.ServiceType);
        var instance = ptr.Record.TargetName(answer, ptr.DataOffset)!;
        Assert.Equal($"{daemon.ZeroconfName}.{MdnsResponder.ServiceType}", instance);
        var srv = records.Single(r => r.Record.Type == DnsRecord.Srv);
        Assert.Equal(instance, srv.Record.Name);
        Assert.Equal(daemon.Port, (srv.Record.Data[4] << 8) | srv.Record.Data[5]);
        var host = srv.Record.TargetName(answer, srv.DataOffset)!;
        Assert.EndsWith(".local", host, StringComparison.Ordinal);
        Assert.Contains(records, r => r.Record.Type == DnsRecord.A && r.Record.Name == host && r.Record.Data.Length == 4);
        Assert.Contains(records, r => r.Record.Type == DnsRecord.Txt && r.Record.Name == instance);
    }

    /// <summary>A legacy (one-shot) mDNS query for <c>_wyoming._tcp.local</c> PTR; the answer naming our instance, or null.</summary>
    private async Task<byte[]?> QueryAsync(IPEndPoint to)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Any, 0));
        udp.MulticastLoopback = true;
        var query = new List<byte> { 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
        query.AddRange(DnsWire.Name(MdnsResponder.ServiceType));
        query.AddRange(new byte[] { 0, (byte)DnsRecord.Ptr, 0, 1 });
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        try
        {
            await udp.SendAsync(query.ToArray(), to);
            while (DateTime.UtcNow < until)
            {
                using var limit = new CancellationTokenSource(until - DateTime.UtcNow);
                var received = await udp.ReceiveAsync(limit.Token);
                if (Encoding.UTF8.GetString(received.Buffer).Contains(daemon.ZeroconfName, StringComparison.Ordinal))
                {
                    return received.Buffer;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // Not delivered here.
        }

        return null;
    }
}
