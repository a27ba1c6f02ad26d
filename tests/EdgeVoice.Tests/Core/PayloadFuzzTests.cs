using System.Diagnostics;
using System.Text;
using EdgeVoice.Core;
using EdgeVoice.Frontends.Mqtt;
using EdgeVoice.Frontends.Mqtt.Hermes;
using EdgeVoice.Text;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Core;

/// <summary>
/// A seeded fuzz of everything a client can send: say, cancel and Hermes payloads and SSML. Each of
/// 100,000 generated payloads (valid ones mutated: bytes flipped, cut, repeated, hostile tokens
/// spliced in) gets an answer with a known code, no exception escapes, and none takes long.
/// </summary>
public sealed class PayloadFuzzTests
{
    private const int Cases = 100_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    private static readonly string[] Codes =
    [
        ErrorCodes.BadRequest, ErrorCodes.TooLong, ErrorCodes.UnknownVoice, ErrorCodes.QueueFull, ErrorCodes.SynthesisFailed,
        ErrorCodes.AudioDeviceUnavailable, ErrorCodes.Cancelled, ErrorCodes.RateLimited,
    ];

    private static readonly string[] Seeds =
    [
        """{"id": "door-7", "text": "Hello there.", "voice": "espeak", "speed": 1.5, "volume": 0.5, "priority": "alarm", "interrupt": true, "format": "text"}""",
        """{"text": "<speak><p>Hi <break time=\"500ms\"/> there.</p><s>Bye.</s></speak>", "format": "ssml"}""",
        """{"id": "x"}""",
        """{"text": "Hi.", "siteId": "default", "sessionId": "s-1", "id": "h-1", "volume": 0.3}""",
        "Hello [uv_break] world [pause_300ms] and [speed_1.2] more.",
        """<speak xml:lang="en"><prosody rate="fast">Quick <lang xml:lang="zh">你好</lang>.</prosody><break strength="strong"/></speak>""",
    ];

    private static readonly string[] Tokens =
    [
        "\\ud800", "\\udfff", "\\u0000", "\"", "{", "}", "[", "]", ",", ":", "\\", "1e309", "-0", "null", "true", "NaN",
        "<p>", "</p>", "<s>", "<break time=\"10s\"/>", "<break time=\"99999999s\"/>", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "<![CDATA[",
        "[pause_999999ms]", "[lbreak]", "[speed_1e9]", "[uv_break]", "\uFEFF", "\u202E", "😀", "\n", "\t", "<speak>", "</speak>",
        "<prosody rate=\"-5%\">", "<lang xml:lang=\"\">", "\"text\":", "\"id\":", "\"format\":\"ssml\"",
    ];

    [Fact]
    public void EveryPayload_IsAnsweredWithAKnownCode_NoExceptionEscapes_AndNoneTakesLong()
    {
        var parser = new SayRequestParser(Options.Create(new LimitsOptions()));
        var planner = new TextPlanner(Options.Create(new TextOptions()));
        var random = new Random(20261201);
        var slowest = TimeSpan.Zero;
        string? slowestPayload = null;
        var answered = new int[4];
        for (var i = 0; i < Cases; i++)
        {
            var payload = Generate(random);
            var watch = Stopwatch.StartNew();
            try
            {
                Answer(i % 4, payload, parser, planner);
                answered[i % 4]++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({Describe(payload)}) threw {e.GetType().Name}: {e.Message}");
            }

            if (watch.Elapsed > slowest)
            {
                (slowest, slowestPayload) = (watch.Elapsed, Describe(payload));
            }
        }

        Assert.True(slowest < Bound, $"the slowest payload took {slowest.TotalMilliseconds:F0} ms: {slowestPayload}");
        Assert.All(answered, count => Assert.Equal(Cases / 4, count));
    }

    /// <summary>Hands the payload to one of the parsers and checks its answer.</summary>
    private static void Answer(int kind, byte[] payload, SayRequestParser parser, TextPlanner planner)
    {
        switch (kind)
        {
            case 0:
                if (!parser.TryParse(payload, 0, out var request, out var error))
                {
                    Assert.Contains(error.Code, Codes);
                    Assert.False(string.IsNullOrWhiteSpace(error.Message));
                }
                else
                {
                    Assert.False(string.IsNullOrWhiteSpace(request.Text));
                    Plan(planner, request.Text, request.Format);
                }

                break;
            case 1:
                if (!CancelHandler.TryParse(payload, out _, out var cancelError))
                {
                    Assert.Equal(ErrorCodes.BadRequest, cancelError.Code);
                }

                break;
            case 2:
                if (!HermesSayHandler.TryParse(payload, out _, out var problem))
                {
                    Assert.False(string.IsNullOrWhiteSpace(problem));
                }

                break;
            default:
                var text = Encoding.UTF8.GetString(payload);
                if (Ssml.TryValidate(text, out var ssmlError))
                {
                    Plan(planner, text, TextFormat.Ssml);
                }
                else
                {
                    Assert.False(string.IsNullOrWhiteSpace(ssmlError));
                }

                Plan(planner, text, TextFormat.Text);
                break;
        }
    }

    /// <summary>Plans the text as the speaker would; malformed SSML is the speaker's bad_request.</summary>
    private static void Plan(TextPlanner planner, string text, TextFormat format)
    {
        try
        {
            var plan = planner.Plan(text, format);
            var silence = plan.Sum(c => (long)c.PauseBeforeMs + c.PauseAfterMs);
            Assert.InRange(silence, 0, new TextOptions().MaxSilenceMs);
        }
        catch (SsmlException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
    }

    private static byte[] Generate(Random random)
    {
        var text = new StringBuilder(Seeds[random.Next(Seeds.Length)]);
        for (var m = random.Next(1, 6); m > 0; m--)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(5))
            {
                case 0:
                    text.Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 1 when text.Length > 0:
                    text.Remove(Math.Min(at, text.Length - 1), Math.Min(random.Next(1, 8), text.Length - Math.Min(at, text.Length - 1)));
                    break;
                case 2:
                    text.Insert(at, Tokens[random.Next(Tokens.Length)], random.Next(1, 40));
                    break;
                case 3:
                    text.Insert(at, (char)random.Next(0, 0x3000));
                    break;
                default:
                    var from = random.Next(text.Length + 1);
                    text.Insert(at, text.ToString(from, Math.Min(random.Next(1, 30), text.Length - from)));
                    break;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        if (random.Next(10) == 0 && bytes.Length > 0)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256); // not always UTF-8 any more
        }

        return bytes;
    }

    private static string Describe(byte[] payload) => Convert.ToBase64String(payload.AsSpan(0, Math.Min(payload.Length, 300)));
}
