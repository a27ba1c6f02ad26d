using System.Buffers.Binary;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Concentus;
using EdgeVoice.Tests.Support;
using OpenAI;
using OpenAI.Audio;

namespace EdgeVoice.Tests.Frontends.Http;

/// <summary>
/// The HTTP front-end of the daemon running as its own process (the AOT binary under scripts/check-aot.sh),
/// driven by real clients: the official OpenAI .NET SDK for the speech API, HttpClient for the rest.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class HttpDaemonProcessTests(MosquittoBroker broker) : IAsyncLifetime
{
    private const string Key = "sk-edgevoice-test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _wavs = Path.Combine(Path.GetTempPath(), "edgevoice-http-" + Guid.NewGuid().ToString("N")[..8]);
    private DaemonProcess? _daemon;
    private int _port;

    private Uri BaseUri => new($"http://127.0.0.1:{_port}");

    public async Task InitializeAsync()
    {
        _port = MosquittoBroker.FreePort();
        _daemon = DaemonProcess.Start(
            "serve", "--broker", broker.Address, "--device", $"http-{Guid.NewGuid():N}", "--sink", $"wav:{_wavs}",
            $"--Http:Address=127.0.0.1:{_port}", $"--Http:ApiKey={Key}", "--Http:VoiceAliases:narrator=espeak");
        using var http = new HttpClient { BaseAddress = BaseUri };
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("the daemon's HTTP server did not become ready:\n" + _daemon.Output);
            }

            await Task.Delay(200);
        }
    }

    public Task DisposeAsync()
    {
        _daemon?.Dispose();
        return Task.CompletedTask;
    }

    private AudioClient Audio(string key = Key) =>
        new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(BaseUri, "/v1") }).GetAudioClient("tts-1");

    private HttpClient Http(string? key = Key)
    {
        var http = new HttpClient { BaseAddress = BaseUri, Timeout = Patience };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    [Fact]
    public async Task Sdk_Wav_IsSpeechOfTheRightLength()
    {
        var result = await Audio().GenerateSpeechAsync("The quick brown fox jumps over the lazy dog.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav });
        var wav = result.Value.ToArray();

        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal("data", Encoding.ASCII.GetString(wav, 36, 4));
        var rate = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24));
        Assert.Equal(22050, rate); // alloy is the default voice: espeak
        Speech.AssertPlausible(Samples(wav.AsSpan(44)), rate, words: 9);
    }

    [Fact]
    public async Task Sdk_Pcm_StatesItsRate_AndAliasesPickTheirVoice()
    {
        var result = await Audio().GenerateSpeechAsync("Seven silver swans swam silently south.", new GeneratedSpeechVoice("narrator"), new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm });
        var headers = result.GetRawResponse().Headers;

        Assert.True(headers.TryGetValue("X-EdgeVoice-Sample-Rate", out var rate), "no sample rate header");
        Assert.True(headers.TryGetValue("X-EdgeVoice-Voice", out var voice));
        Assert.Equal("espeak", voice);
        Speech.AssertPlausible(Samples(result.Value.ToArray()), int.Parse(rate!, System.Globalization.CultureInfo.InvariantCulture), words: 6);
    }

    [Fact]
    public async Task Sdk_LongInput_Streams_FirstBytesBeforeTheSynthesisEnds()
    {
        var text = string.Concat(Enumerable.Repeat(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "bench-text.txt")).Trim() + " ", 3))[..1500];
        using var events = await EventTap.OpenAsync(Http());
        var body = BinaryContent.Create(BinaryData.FromObjectAsJson(new { model = "tts-1", input = text, voice = "alloy", response_format = "pcm" }));
        var clock = Stopwatch.StartNew();
        var result = await Audio().GenerateSpeechAsync(body, new RequestOptions { BufferResponse = false });
        var response = result.GetRawResponse();
        Assert.True(response.Headers.TryGetValue("X-Request-Id", out var id));
        var stream = response.ContentStream!;
        var buffer = new byte[64 * 1024];
        var first = await stream.ReadAsync(buffer);
        var firstByteAt = clock.Elapsed;
        long total = first;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        var finished = await events.WaitForAsync(id!, "finished", Patience);

        // Ordering, not time: the first bytes were in hand before the daemon reported the request finished,
        // and they were a small part of the audio.
        Assert.True(firstByteAt < finished.At, $"first byte at {firstByteAt.TotalMilliseconds:F0} ms, finished event at {finished.At.TotalMilliseconds:F0} ms");
        Assert.True(first < total / 10, $"first read {first} of {total} bytes");
        Assert.True(finished.Json.GetProperty("chunks").GetInt32() > 5, finished.Json.ToString());
        Assert.Equal(total / 2, (long)(finished.Json.GetProperty("audio_ms").GetDouble() * 22.050), 22050 / 10.0);
    }

    [Fact]
    public async Task Sdk_Errors_AreApiErrors_WithTheirStatus()
    {
        var mp3 = await Assert.ThrowsAsync<ClientResultException>(() => Audio().GenerateSpeechAsync("Hello.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Mp3 }));
        Assert.Equal(400, mp3.Status);
        Assert.Contains("mp3", mp3.Message, StringComparison.Ordinal);

        var voice = await Assert.ThrowsAsync<ClientResultException>(() => Audio().GenerateSpeechAsync("Hello.", new GeneratedSpeechVoice("nobody"), new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav }));
        Assert.Equal(400, voice.Status);
        Assert.Contains("nobody", voice.Message, StringComparison.Ordinal);

        var key = await Assert.ThrowsAsync<ClientResultException>(() => Audio("sk-wrong").GenerateSpeechAsync("Hello.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav }));
        Assert.Equal(401, key.Status);

        var speed = await Assert.ThrowsAsync<ClientResultException>(() => Audio().GenerateSpeechAsync("Hello.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav, SpeedRatio = 5f }));
        Assert.Equal(400, speed.Status);
    }

    [Fact]
    public async Task ErrorBodies_HaveOpenAisShape()
    {
        using var http = Http();
        using var response = await http.PostAsync("/v1/audio/speech", Json("""{"model":"tts-1","input":"Hello.","voice":"alloy","response_format":"flac"}"""));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("response_format", error.GetProperty("param").GetString());
        Assert.Equal("unsupported_response_format", error.GetProperty("code").GetString());
        Assert.Contains("flac", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var model = await http.PostAsync("/v1/audio/speech", Json("""{"model":"dall-e-3","input":"Hello.","voice":"alloy"}"""));
        Assert.Equal(HttpStatusCode.NotFound, model.StatusCode);
        using var tooBig = await http.PostAsync("/v1/audio/speech", Json($$"""{"model":"tts-1","input":"{{new string('a', 70_000)}}","voice":"alloy"}"""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal("too_long", JsonDocument.Parse(await tooBig.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Speed_OutsideTheVoicesRange_IsClampedWithAWarning()
    {
        using var http = Http();
        using var fast = await http.PostAsync("/v1/audio/speech", Json("""{"model":"tts-1","input":"One two three four five six.","voice":"alloy","response_format":"pcm","speed":4.0}"""));
        using var normal = await http.PostAsync("/v1/audio/speech", Json("""{"model":"tts-1","input":"One two three four five six.","voice":"alloy","response_format":"pcm","instructions":"Speak cheerfully."}"""));

        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        Assert.Contains("spoken at 2", string.Join(";", fast.Headers.GetValues("X-EdgeVoice-Warning")), StringComparison.Ordinal);
        Assert.Contains("instructions", string.Join(";", normal.Headers.GetValues("X-EdgeVoice-Warning")), StringComparison.Ordinal);
        var fastLength = (await fast.Content.ReadAsByteArrayAsync()).Length;
        var normalLength = (await normal.Content.ReadAsByteArrayAsync()).Length;
        Assert.InRange((double)fastLength / normalLength, 0.35, 0.7);
    }

    [Fact]
    public async Task Opus_IsOggThatDecodesToTheSameSpeech()
    {
        using var http = Http();
        const string text = "The rain in Spain stays mainly in the plain.";
        using var pcmResponse = await http.PostAsync("/v1/audio/speech", Json($$"""{"model":"tts-1","input":"{{text}}","voice":"alloy","response_format":"pcm"}"""));
        var pcm = Samples(await pcmResponse.Content.ReadAsByteArrayAsync());
        using var opusResponse = await http.PostAsync("/v1/audio/speech", Json($$"""{"model":"tts-1","input":"{{text}}","voice":"alloy","response_format":"opus"}"""));
        Assert.Equal("audio/ogg; codecs=opus", opusResponse.Content.Headers.ContentType?.ToString());
        var ogg = await opusResponse.Content.ReadAsByteArrayAsync();

        var (packets, lastGranule, eos) = OggReader.Packets(ogg);
        Assert.True(eos, "the last page does not end the stream");
        Assert.Equal("OpusHead", Encoding.ASCII.GetString(packets[0], 0, 8));
        Assert.Equal("OpusTags", Encoding.ASCII.GetString(packets[1], 0, 8));
        var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(packets[0].AsSpan(10));
        Assert.Equal(22050u, BinaryPrimitives.ReadUInt32LittleEndian(packets[0].AsSpan(12)));

        using var decoder = OpusCodecFactory.CreateDecoder(48000, 1);
        var decoded = new List<short>();
        var frame = new short[5760];
        foreach (var packet in packets.Skip(2))
        {
            var n = decoder.Decode(packet, frame, frame.Length, false);
            decoded.AddRange(frame.AsSpan(0, n).ToArray());
        }

        var audio = decoded.Skip(preSkip).Take((int)(lastGranule - preSkip)).ToArray();
        Assert.Equal(pcm.Length * 48000.0 / 22050, audio.Length, 48000 * 0.03); // within 30 ms
        Speech.AssertPlausible(audio, 48000, words: 9);
        Assert.Equal(Speech.Rms(pcm), Speech.Rms(audio), Speech.Rms(pcm) * 0.25);
    }

    [Fact]
    public async Task SseStreamFormat_SendsBase64Deltas_ThenDone()
    {
        using var http = Http();
        using var response = await http.PostAsync("/v1/audio/speech", Json("""{"model":"tts-1","input":"Streaming as events works too.","voice":"alloy","response_format":"pcm","stream_format":"sse"}"""));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.Equal("speech.audio.done", events[^1].GetProperty("type").GetString());
        Assert.True(events[^1].GetProperty("usage").GetProperty("input_tokens").GetInt32() > 0);
        var audio = events.SkipLast(1).SelectMany(e =>
        {
            Assert.Equal("speech.audio.delta", e.GetProperty("type").GetString());
            return Convert.FromBase64String(e.GetProperty("audio").GetString()!);
        }).ToArray();
        Speech.AssertPlausible(Samples(audio), 22050, words: 5);
    }

    [Fact]
    public async Task RestMirror_Say_Cancel_Stop_AndEvents()
    {
        using var http = Http();
        using var events = await EventTap.OpenAsync(Http());

        using var say = await http.PostAsync("/v1/say", Json("""{"id":"rest-1","text":"Hello from the REST mirror.","priority":"high"}"""));
        Assert.Equal(HttpStatusCode.Accepted, say.StatusCode);
        Assert.Equal("rest-1", JsonDocument.Parse(await say.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        await events.WaitForAsync("rest-1", "queued", Patience);
        var finished = await events.WaitForAsync("rest-1", "finished", Patience);
        Assert.StartsWith("wav:", finished.Json.GetProperty("sink").GetString(), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_wavs, "*.wav"));

        using var again = await http.PostAsync("/v1/say", Json("""{"id":"rest-1","text":"Hello from the REST mirror."}"""));
        Assert.Equal("duplicate", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());

        using var bad = await http.PostAsync("/v1/say", Json("""{"id":"rest-2","text":"x","speed":9}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("bad_request", JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        var rejected = await events.WaitForAsync("rest-2", "rejected", Patience);
        Assert.Contains("speed", rejected.Json.GetProperty("message").GetString(), StringComparison.Ordinal);

        using var cancel = await http.PostAsync("/v1/cancel", Json("""{"id":"never-sent"}"""));
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        using var stop = await http.PostAsync("/v1/stop", null);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await stop.Content.ReadAsStringAsync()).RootElement.GetProperty("cancelled").GetInt32());
    }

    [Fact]
    public async Task Auth_GuardsV1_NotTheScrapeEndpoints_AndListsDescribeWhatIsInstalled()
    {
        using var anonymous = Http(key: null);
        using var noKey = await anonymous.PostAsync("/v1/say", Json("""{"text":"Should not be said."}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("invalid_api_key", JsonDocument.Parse(await noKey.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/events")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);

        using var http = Http();
        var voices = JsonDocument.Parse(await http.GetStringAsync("/v1/audio/voices")).RootElement;
        Assert.Contains(voices.GetProperty("voices").EnumerateArray(), v => v.GetProperty("id").GetString() == "espeak" && v.GetProperty("sample_rate").GetInt32() == 22050);
        Assert.Equal("espeak", voices.GetProperty("aliases").GetProperty("narrator").GetString());
        Assert.Equal(voices.GetProperty("default").GetString(), voices.GetProperty("aliases").GetProperty("alloy").GetString());
        var models = JsonDocument.Parse(await http.GetStringAsync("/v1/models")).RootElement;
        Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "tts-1");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/nothing")).StatusCode);

        await Audio().GenerateSpeechAsync("Counted.", GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav });
        var metrics = await anonymous.GetStringAsync("/metrics");
        Assert.Matches("tts_requests_total\\{outcome=\"finished\",[^}]*protocol=\"http\"[^}]*\\} [1-9]", metrics);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static short[] Samples(ReadOnlySpan<byte> bytes)
    {
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 2)..]);
        }

        return samples;
    }

    /// <summary><c>GET /v1/events</c>, read as it arrives: each event with when it came.</summary>
    private sealed class EventTap : IDisposable
    {
        private readonly HttpClient _http;
        private readonly HttpResponseMessage _response;
        private readonly BlockingCollection<(TimeSpan At, JsonElement Json)> _events = [];
        private readonly List<(TimeSpan At, JsonElement Json)> _seen = [];
        private readonly Stopwatch _clock;

        private EventTap(HttpClient http, HttpResponseMessage response, Stopwatch clock)
        {
            _http = http;
            _response = response;
            _clock = clock;
            _ = Task.Run(ReadAsync);
        }

        public static async Task<EventTap> OpenAsync(HttpClient http)
        {
            var clock = Stopwatch.StartNew();
            http.Timeout = Timeout.InfiniteTimeSpan;
            var response = await http.GetAsync("/v1/events", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new EventTap(http, response, clock);
        }

        /// <summary>Times on the clock that started when the tap opened (the test's own clock starts after it).</summary>
        public async Task<(TimeSpan At, JsonElement Json)> WaitForAsync(string id, string kind, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < until)
            {
                foreach (var e in _seen)
                {
                    if (e.Json.TryGetProperty("id", out var i) && i.GetString() == id && e.Json.GetProperty("event").GetString() == kind)
                    {
                        return e;
                    }
                }

                if (_events.TryTake(out var next, 200))
                {
                    _seen.Add(next);
                }
            }

            throw new TimeoutException($"no {kind} event for {id}; saw {string.Join("\n", _seen.Select(s => s.Json.ToString()))}");
        }

        public void Dispose()
        {
            _response.Dispose();
            _http.Dispose();
        }

        private async Task ReadAsync()
        {
            try
            {
                using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync());
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        _events.Add((_clock.Elapsed, JsonDocument.Parse(line[6..]).RootElement.Clone()));
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or HttpRequestException or OperationCanceledException)
            {
                // closed
            }
        }
    }
}

/// <summary>Reads Ogg pages back (checking each page's CRC) into packets.</summary>
internal static class OggReader
{
    public static (List<byte[]> Packets, long LastGranule, bool EndOfStream) Packets(byte[] ogg)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        long granule = 0;
        var eos = false;
        var at = 0;
        while (at < ogg.Length)
        {
            Assert.Equal("OggS", Encoding.ASCII.GetString(ogg, at, 4));
            var segments = ogg[at + 26];
            var headerLength = 27 + segments;
            var bodyLength = ogg.AsSpan(at + 27, segments).ToArray().Sum(b => b);
            var page = ogg.AsSpan(at, headerLength + bodyLength).ToArray();
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
            page.AsSpan(22, 4).Clear();
            Assert.Equal(crc, Crc(page));
            granule = BinaryPrimitives.ReadInt64LittleEndian(ogg.AsSpan(at + 6));
            eos = (ogg[at + 5] & 0x04) != 0;
            var body = at + headerLength;
            for (var s = 0; s < segments; s++)
            {
                var lace = ogg[at + 27 + s];
                current.AddRange(ogg.AsSpan(body, lace).ToArray());
                body += lace;
                if (lace < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }

            at += headerLength + bodyLength;
        }

        return (packets, granule, eos);
    }

    private static uint Crc(byte[] data)
    {
        uint crc = 0;
        foreach (var b in data)
        {
            crc ^= (uint)b << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1;
            }
        }

        return crc;
    }
}
