using System.Text;
using EdgeVoice.Core;
using EdgeVoice.Frontends.Mqtt;
using EdgeVoice.Frontends.Mqtt.Hermes;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Core;

/// <summary>A lone surrogate escaped in JSON is refused as bad_request naming its field, on every payload that is JSON.</summary>
public sealed class LoneSurrogateTests
{
    private readonly SayRequestParser _parser = new(Options.Create(new LimitsOptions()));

    [Theory]
    [InlineData("""{"id": "\ud800", "text": "Hi."}""", "id")]
    [InlineData("""{"id": "a-1", "text": "Hi \udc00 there."}""", "text")]
    [InlineData("""{"text": "Hi.", "voice": "x\ud83d"}""", "voice")]
    [InlineData("""{"text": "Hi.", "priority": "\udfff"}""", "priority")]
    [InlineData("""{"text": "Hi.", "format": "\ud800\ud800"}""", "format")]
    public void Say_LoneSurrogate_IsBadRequestNamingTheField(string json, string field)
    {
        Assert.False(_parser.TryParse(Encoding.UTF8.GetBytes(json), 0, out _, out var error));

        Assert.Equal(ErrorCodes.BadRequest, error.Code);
        Assert.Contains($"field '{field}' contains a lone surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Say_LoneSurrogateInText_KeepsTheRequestsId()
    {
        Assert.False(_parser.TryParse(Encoding.UTF8.GetBytes("""{"id": "door-1", "text": "\ud800"}"""), 0, out _, out var error));

        Assert.Equal("door-1", error.Id);
    }

    [Fact]
    public void Say_APairedSurrogate_IsText()
    {
        Assert.True(_parser.TryParse(Encoding.UTF8.GetBytes("""{"id": "\ud83d\ude00", "text": "Hi \ud83d\ude00."}"""), 0, out var request, out _));

        Assert.Equal("😀", request.Id);
    }

    [Fact]
    public void Cancel_LoneSurrogate_IsBadRequestNamingTheField()
    {
        Assert.False(CancelHandler.TryParse("""{"id": "\udbff"}"""u8, out _, out var error));

        Assert.Equal(ErrorCodes.BadRequest, error.Code);
        Assert.Contains("field 'id' contains a lone surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hermes_LoneSurrogate_IsRefusedNamingTheField()
    {
        Assert.False(HermesSayHandler.TryParse("""{"text": "Hi.", "siteId": "\ud800"}"""u8, out _, out var problem));

        Assert.Contains("field 'siteId' contains a lone surrogate", problem, StringComparison.Ordinal);
    }
}
