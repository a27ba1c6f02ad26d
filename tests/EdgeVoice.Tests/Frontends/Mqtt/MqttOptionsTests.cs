using EdgeVoice.Frontends.Mqtt;

namespace EdgeVoice.Tests.Frontends.Mqtt;

public sealed class MqttOptionsTests
{
    [Theory]
    [InlineData("mqtt://broker.local:1884", "broker.local", 1884)]
    [InlineData("mqtt://10.0.0.5", "10.0.0.5", 1883)]
    [InlineData("tcp://10.0.0.5:2000", "10.0.0.5", 2000)]
    [InlineData("broker.local:1999", "broker.local", 1999)]
    [InlineData("broker.local", "broker.local", 1883)]
    [InlineData("mqtt://[::1]:1884", "::1", 1884)]
    public void TryParseBroker_AcceptedForms(string text, string host, int port)
    {
        Assert.True(MqttOptions.TryParseBroker(text, out var parsedHost, out var parsedPort, out _));

        Assert.Equal(host, parsedHost);
        Assert.Equal(port, parsedPort);
    }

    [Theory]
    [InlineData("http://broker:80")]
    [InlineData("mqtt://broker:1883/path")]
    [InlineData("mqtt://")]
    public void TryParseBroker_RefusedForms_SayWhy(string text)
    {
        Assert.False(MqttOptions.TryParseBroker(text, out _, out _, out var error));

        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadValues_NameEachKey()
    {
        var options = new MqttOptions { Broker = "http://x", Device = "a/b", EmbeddedPort = 0, TopicPrefix = "edge#voice" };

        var result = new MqttOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "Mqtt:Broker", "Mqtt:Device", "Mqtt:EmbeddedPort", "Mqtt:TopicPrefix" })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Defaults_UseTheEmbeddedBrokerOnLoopback()
    {
        var options = new MqttOptions { EmbeddedPort = 1999, Device = "kiosk-3" };

        Assert.True(new MqttOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.UsesEmbeddedBroker);
        Assert.Equal(("127.0.0.1", 1999), options.Endpoint);
        Assert.Equal("edgevoice/kiosk-3", options.BaseTopic);
        Assert.Equal("edgevoice-kiosk-3", options.EffectiveClientId);
    }

    [Theory]
    [InlineData("user", null)]
    [InlineData(null, "secret")]
    public void Validate_EmbeddedLogin_SetBothOrNeither(string? username, string? password)
    {
        var options = new MqttOptions { EmbeddedUsername = username, EmbeddedPassword = password };

        var result = new MqttOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Mqtt:EmbeddedUsername and Mqtt:EmbeddedPassword", StringComparison.Ordinal));
        Assert.True(new MqttOptionsValidator().Validate(null, new MqttOptions { EmbeddedUsername = "user", EmbeddedPassword = "secret" }).Succeeded);
    }
}
