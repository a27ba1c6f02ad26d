using System.Text;
using EdgeVoice.Core;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Core;

public sealed class SayRequestParserTests
{
    private readonly SayRequestParser _parser = new(Options.Create(new LimitsOptions { MaxPayloadBytes = 256, MaxTextChars = 50 }));

    private bool Parse(string payload, out SayRequest request, out RequestError error) =>
        Parse(Encoding.UTF8.GetBytes(payload), out request, out error);

    private bool Parse(byte[] payload, out SayRequest request, out RequestError error) =>
        _parser.TryParse(new System.Buffers.ReadOnlySequence<byte>(payload), 42, out request, out error);

    [Fact]
    public void PlainText_IsTheTextToSay_WithAGeneratedId()
    {
        Assert.True(Parse("  Hello there \n", out var request, out _));

        Assert.Equal("Hello there", request.Text);
        Assert.Null(request.Voice);
        Assert.Equal(42, request.ReceivedAt);
        Assert.Matches("^[0-9a-f]{12}$", request.Id);
    }

    [Fact]
    public void Json_WithEveryField_IsRead()
    {
        Assert.True(Parse("""{"id": "door-7", "text": "你好，欢迎。", "voice": "espeak:cmn", "speed": 1.5, "volume": 0.5, "priority": "alarm", "interrupt": true, "format": "text"}""", out var request, out _));

        Assert.Equal("door-7", request.Id);
        Assert.Equal("你好，欢迎。", request.Text);
        Assert.Equal("espeak:cmn", request.Voice);
        Assert.Equal((1.5, 0.5, Priority.Alarm, true, EdgeVoice.Text.TextFormat.Text), (request.Speed, request.Volume, request.Priority, request.Interrupt, request.Format));
        Assert.True(request.CallerId);
    }

    [Fact]
    public void Json_NullFields_AreAsIfLeftOut()
    {
        Assert.True(Parse("""{"text": "Hi", "voice": null, "priority": null}""", out var request, out _));

        Assert.Null(request.Voice);
        Assert.Equal(Priority.Normal, request.Priority);
        Assert.False(request.CallerId);
    }

    [Fact]
    public void Json_Speed_IsRead_AndDefaultsToOne()
    {
        Assert.True(Parse("""{"text": "Hi", "speed": 1.25}""", out var fast, out _));
        Assert.True(Parse("""{"text": "Hi"}""", out var normal, out _));

        Assert.Equal(1.25, fast.Speed);
        Assert.Equal(1.0, normal.Speed);
    }

    [Theory]
    [InlineData("{\"text\": \"hi\", \"speed\": 3}")]
    [InlineData("{\"text\": \"hi\", \"speed\": 0.1}")]
    [InlineData("{\"text\": \"hi\", \"speed\": \"fast\"}")]
    public void Json_SpeedOutOfRangeOrNotANumber_IsRefused(string payload)
    {
        Assert.False(Parse(payload, out _, out var error));

        Assert.Equal(ErrorCodes.BadRequest, error.Code);
        Assert.Contains("'speed' must be a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_Format_SsmlIsValidatedWhenAccepted()
    {
        Assert.True(Parse("""{"text": "<speak>Hi</speak>", "format": "ssml"}""", out var ssml, out _));
        Assert.False(Parse("""{"id": "s1", "text": "<speak>Hi", "format": "ssml"}""", out _, out var malformed));
        Assert.False(Parse("""{"text": "Hi", "format": "html"}""", out _, out var unknown));

        Assert.Equal(EdgeVoice.Text.TextFormat.Ssml, ssml.Format);
        Assert.Equal((ErrorCodes.BadRequest, "s1"), (malformed.Code, malformed.Id));
        Assert.Contains("malformed SSML at line 1", malformed.Message, StringComparison.Ordinal);
        Assert.Contains("'format' must be \"text\" or \"ssml\"", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8ByteOrderMark_IsIgnored()
    {
        Assert.True(Parse([0xEF, 0xBB, 0xBF, .. "Hi"u8.ToArray()], out var request, out _));

        Assert.Equal("Hi", request.Text);
    }

    [Theory]
    [InlineData("", "bad_request", "empty")]
    [InlineData("   ", "bad_request", "empty")]
    [InlineData("{\"text\": ", "bad_request", "not valid JSON")]
    [InlineData("{\"id\": \"x\"}", "bad_request", "'text' is missing")]
    [InlineData("{\"text\": 5}", "bad_request", "'text' must be a string")]
    [InlineData("{\"text\": \"   \"}", "bad_request", "text is empty")]
    [InlineData("{\"text\": \"hi\", \"prioritty\": \"high\"}", "bad_request", "'prioritty' is not known")]
    [InlineData("{\"text\": \"hi\", \"id\": 7}", "bad_request", "'id' must be a string")]
    [InlineData("{\"text\": \"hi\", \"id\": \"\"}", "bad_request", "'id' must be 1 to 128")]
    [InlineData("{\"text\": \"hi\", \"voice\": 5}", "bad_request", "'voice' must be a string")]
    [InlineData("{\"text\": \"hi\", \"volume\": 1.5}", "bad_request", "'volume' must be a number from 0 to 1")]
    [InlineData("{\"text\": \"hi\", \"priority\": \"urgent\"}", "bad_request", "'priority' must be \"normal\", \"high\" or \"alarm\"")]
    [InlineData("{\"text\": \"hi\", \"interrupt\": \"yes\"}", "bad_request", "'interrupt' must be true or false")]
    [InlineData("This text is far longer than the fifty characters the limit allows.", "too_long", "limit is 50")]
    public void BadPayload_IsRefusedWithCodeAndReason(string payload, string code, string reason)
    {
        Assert.False(Parse(payload, out _, out var error));

        Assert.Equal(code, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8_IsRefusedNamingTheOffset()
    {
        Assert.False(Parse([(byte)'H', (byte)'i', 0xC3, 0x28], out _, out var error));

        Assert.Equal(ErrorCodes.BadRequest, error.Code);
        Assert.Contains("offset 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PayloadOverTheByteLimit_IsTooLong()
    {
        Assert.False(Parse(new byte[257], out _, out var error));

        Assert.Equal(ErrorCodes.TooLong, error.Code);
        Assert.Contains("257 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonError_KeepsTheIdWhenItWasRead()
    {
        Assert.False(Parse("""{"id": "abc", "text": 1}""", out _, out var error));

        Assert.Equal("abc", error.Id);
    }

    [Fact]
    public void DeeplyNestedJson_IsRefusedNotACrash()
    {
        var nested = "{\"text\": \"hi\", \"x\": " + new string('[', 100) + new string(']', 100) + "}";

        Assert.False(Parse(nested, out _, out var error));

        Assert.Equal(ErrorCodes.BadRequest, error.Code);
    }
}
