using System.Text;
using EdgeVoice.Core;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeVoice.Tests.Core;

/// <summary><c>expires_at</c> and <c>ttl_seconds</c> in a say request.</summary>
public sealed class SayRequestExpiryTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 1, 7, 0, 0, TimeSpan.Zero));

    private bool Parse(string json, out SayRequest request, out RequestError error) =>
        new SayRequestParser(Options.Create(new LimitsOptions()), _clock).TryParse(Encoding.UTF8.GetBytes(json), _clock.GetTimestamp(), out request, out error);

    [Fact]
    public void ExpiresAt_IsRead_WithItsOffset()
    {
        Assert.True(Parse("""{"text": "Platform change.", "expires_at": "2026-05-01T09:30:00+02:00"}""", out var request, out _));
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 7, 30, 0, TimeSpan.Zero), request.ExpiresAt);
    }

    [Fact]
    public void TtlSeconds_CountsFromArrival_AndTheEarlierOfTheTwoWins()
    {
        Assert.True(Parse("""{"text": "Boarding.", "ttl_seconds": 90}""", out var request, out _));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(90), request.ExpiresAt);

        Assert.True(Parse("""{"text": "Boarding.", "ttl_seconds": 90, "expires_at": "2026-05-01T07:00:30Z"}""", out request, out _));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(30), request.ExpiresAt);
    }

    [Theory]
    [InlineData("""{"text": "x", "expires_at": "tomorrow"}""", "expires_at")]
    [InlineData("""{"text": "x", "expires_at": "2026-05-01T07:00:00"}""", "expires_at")]
    [InlineData("""{"text": "x", "expires_at": 5}""", "expires_at")]
    [InlineData("""{"text": "x", "ttl_seconds": 0}""", "ttl_seconds")]
    [InlineData("""{"text": "x", "ttl_seconds": "soon"}""", "ttl_seconds")]
    public void ABadExpiry_IsRefusedNamingTheField(string json, string field)
    {
        Assert.False(Parse(json, out _, out var error));
        Assert.Equal(ErrorCodes.BadRequest, error.Code);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoExpiry_NeverExpires()
    {
        Assert.True(Parse("""{"text": "Whenever."}""", out var request, out _));
        Assert.Null(request.ExpiresAt);
    }
}
