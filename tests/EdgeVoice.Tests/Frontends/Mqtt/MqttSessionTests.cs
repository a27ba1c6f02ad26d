using EdgeVoice.Frontends.Mqtt;

namespace EdgeVoice.Tests.Frontends.Mqtt;

public sealed class MqttSessionTests
{
    [Fact]
    public void Backoff_DoublesFromTheMinimumToTheMaximum_WithJitter()
    {
        var options = new MqttOptions { ReconnectMinMs = 500, ReconnectMaxMs = 30_000 };
        foreach (var random in new[] { 0.0, Random.Shared.NextDouble(), 0.999_999 })
        {
            TimeSpan Backoff(int failures) => MqttSession.Backoff(failures, options.ReconnectMinMs, options.ReconnectMaxMs, random);

            Assert.InRange(Backoff(0).TotalMilliseconds, 400, 600);
            Assert.InRange(Backoff(3).TotalMilliseconds, 3200, 4800);
            Assert.InRange(Backoff(30).TotalMilliseconds, 24_000, 30_000);
        }
    }
}
