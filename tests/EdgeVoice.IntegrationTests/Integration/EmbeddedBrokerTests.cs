using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeVoice.Tests.Integration;

/// <summary>The zero-configuration start: no broker configured, so the daemon runs its own on loopback.</summary>
public sealed class EmbeddedBrokerTests
{
    [Fact]
    public async Task Serve_WithoutBroker_ListensOnLoopbackAndSpeaksIntoWavFiles()
    {
        var port = MosquittoBroker.FreePort();
        var wavFolder = Path.Combine(Path.GetTempPath(), $"edgevoice-wav-{Guid.NewGuid():N}");
        await using var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:EmbeddedPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Audio:Sink"] = "wav:" + wavFolder,
        });
        await using var client = await EventListener.ConnectAsync("127.0.0.1", port, $"{daemon.BaseTopic}/#");
        await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", TimeSpan.FromSeconds(30));

        await client.PublishAsync($"{daemon.BaseTopic}/say", "Hello");
        var finished = await client.WaitForEventAsync($"{daemon.BaseTopic}/events", TimeSpan.FromSeconds(30), "finished", "failed");

        Assert.Equal("finished", finished.GetProperty("event").GetString());
        var file = Assert.Single(Directory.GetFiles(wavFolder, "*.wav"));
        var bytes = await File.ReadAllBytesAsync(file);
        var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes.AsSpan(44)).ToArray();
        Assert.Equal(finished.GetProperty("audio_ms").GetDouble(), samples.Length * 1000.0 / 22050, 1.0);
        Speech.AssertPlausible(samples, 22050, words: 1);
        Directory.Delete(wavFolder, recursive: true);
    }
}

/// <summary>The embedded broker's login and the daemon's reserved client id, tried with real MQTT clients.</summary>
public sealed class EmbeddedBrokerAccessTests
{
    [Fact]
    public async Task Login_WhenConfigured_IsRequiredOfEveryClient_AndTheDaemonUsesIt()
    {
        var port = MosquittoBroker.FreePort();
        var wavFolder = Path.Combine(Path.GetTempPath(), $"edgevoice-wav-{Guid.NewGuid():N}");
        await using var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:EmbeddedPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:EmbeddedUsername"] = "kiosk",
            ["Mqtt:EmbeddedPassword"] = "s3cret",
            ["Audio:Sink"] = "wav:" + wavFolder,
        });

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(port, "anonymous-" + Guid.NewGuid().ToString("N"), b => { }));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(port, "guess-" + Guid.NewGuid().ToString("N"), b => b.WithCredentials("kiosk", "s3cret!")));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(port, "guess-" + Guid.NewGuid().ToString("N"), b => b.WithCredentials("Kiosk", "s3cret")));

        // The daemon itself got in with the login: it announces itself and speaks.
        await using var client = await EventListener.ConnectAsync("127.0.0.1", port, b => b.WithCredentials("kiosk", "s3cret"), $"{daemon.BaseTopic}/#");
        await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", TimeSpan.FromSeconds(30));
        await client.PublishAsync($"{daemon.BaseTopic}/say", "Hello");
        var finished = await client.WaitForEventAsync($"{daemon.BaseTopic}/events", TimeSpan.FromSeconds(30), "finished", "failed");
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Directory.Delete(wavFolder, recursive: true);
    }

    [Fact]
    public async Task DaemonsClientId_CannotBeTakenByAnotherClient_WithOrWithoutLogin()
    {
        var port = MosquittoBroker.FreePort();
        var wavFolder = Path.Combine(Path.GetTempPath(), $"edgevoice-wav-{Guid.NewGuid():N}");
        await using var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:EmbeddedPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Audio:Sink"] = "wav:" + wavFolder,
        });
        var daemonId = $"edgevoice-{daemon.Device}";
        await using var client = await EventListener.ConnectAsync("127.0.0.1", port, $"{daemon.BaseTopic}/#");
        await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", TimeSpan.FromSeconds(30));

        // Neither a plain client, nor one that makes up a token, nor an MQTT 3.1.1 client may use the daemon's id.
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await TryConnectAsync(port, daemonId, b => { }));
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await TryConnectAsync(port, daemonId,
            b => b.WithUserProperty("edgevoice-daemon-token", new ReadOnlyMemory<byte>(new byte[32]))));
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await TryConnectAsync(port, daemonId, b => b.WithProtocolVersion(MqttProtocolVersion.V311)));

        // The daemon was not kicked off: it never went offline and still answers.
        await client.PublishAsync($"{daemon.BaseTopic}/say", "Hello");
        var finished = await client.WaitForEventAsync($"{daemon.BaseTopic}/events", TimeSpan.FromSeconds(30), "finished", "failed");
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Assert.DoesNotContain(client.All, m => m.Topic == $"{daemon.BaseTopic}/availability" && m.Payload == "offline");
        Directory.Delete(wavFolder, recursive: true);
    }

    [Fact]
    public async Task DaemonsClientId_StaysReservedWhileTheDaemonIsAway()
    {
        var port = MosquittoBroker.FreePort();
        await using var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:EmbeddedPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Audio:Sink"] = "wav:" + Path.Combine(Path.GetTempPath(), $"edgevoice-wav-{Guid.NewGuid():N}"),
        });
        var daemonId = $"edgevoice-{daemon.Device}";
        await using var watcher = await EventListener.ConnectAsync("127.0.0.1", port, $"{daemon.BaseTopic}/availability");
        await watcher.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", TimeSpan.FromSeconds(30));

        await daemon.Services.GetRequiredService<EdgeVoice.Frontends.Mqtt.MqttSession>().StopAsync(CancellationToken.None);
        await watcher.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "offline", TimeSpan.FromSeconds(30));

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await TryConnectAsync(port, daemonId, b => { }));
    }

    /// <summary>Connects a fresh MQTT client and disconnects it again; returns the broker's answer.</summary>
    private static async Task<MqttClientConnectResultCode> TryConnectAsync(int port, string clientId, Action<MqttClientOptionsBuilder> configure)
    {
        using var mqtt = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(10));
        configure(builder);
        var result = await mqtt.ConnectAsync(builder.Build());
        if (mqtt.IsConnected)
        {
            await mqtt.DisconnectAsync();
        }

        return result.ResultCode;
    }
}

/// <summary>A machine that already runs a broker on the embedded port (a Mosquitto service on 1883) uses it.</summary>
[Collection(MosquittoGroup.Name)]
public sealed class EmbeddedPortTakenTests(MosquittoBroker broker)
{
    [Fact]
    public async Task Serve_WithoutBroker_WhenThePortIsTaken_UsesTheBrokerListeningThere()
    {
        var wavFolder = Path.Combine(Path.GetTempPath(), $"edgevoice-wav-{Guid.NewGuid():N}");
        await using var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:EmbeddedPort"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Audio:Sink"] = "wav:" + wavFolder,
        });
        await using var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, $"{daemon.BaseTopic}/#");
        await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", TimeSpan.FromSeconds(30));

        await client.PublishAsync($"{daemon.BaseTopic}/say", "Hello");
        var finished = await client.WaitForEventAsync($"{daemon.BaseTopic}/events", TimeSpan.FromSeconds(30), "finished", "failed");

        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Directory.Delete(wavFolder, recursive: true);
    }
}

/// <summary>The retained availability a dashboard reads.</summary>
[Collection(MosquittoGroup.Name)]
public sealed class AvailabilityTests(MosquittoBroker broker)
{
    [Fact]
    public async Task Stop_Cleanly_LeavesOfflineRetained()
    {
        var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Broker"] = broker.Address,
            ["Audio:Sink"] = "wav:" + Path.Combine(Path.GetTempPath(), "edgevoice-availability"),
        });
        var topic = $"{daemon.BaseTopic}/availability";
        await using (var watcher = await EventListener.ConnectAsync("127.0.0.1", broker.Port, topic))
        {
            await watcher.WaitForAsync(topic, t => t == "online", TimeSpan.FromSeconds(30));
        }

        await daemon.DisposeAsync();

        // A client that connects afterwards is told at once, by the retained message.
        await using var late = await EventListener.ConnectAsync("127.0.0.1", broker.Port, topic);
        Assert.Equal("offline", await late.WaitForAsync(topic, _ => true, TimeSpan.FromSeconds(10)));
    }
}

/// <summary>A neural voice end to end: the voices folder, ONNX Runtime, the pipeline and ALSA.</summary>
[Collection(MosquittoGroup.Name)]
public sealed class PiperDaemonTests(MosquittoBroker broker)
{
    [Fact]
    public async Task Say_WithAPiperVoice_IsSynthesisedByOnnxRuntimeAndPlayed()
    {
        var voices = TestVoices.VoicesFolder("en_US-test-x_low", "en_US-multi-x_low");
        var capture = Path.Combine(Path.GetTempPath(), $"edgevoice-piper-{Guid.NewGuid():N}.raw");
        await using (var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Broker"] = broker.Address,
            ["Voices:Directory"] = voices,
            ["Inference:Providers"] = "tensorrt,cuda,cpu",
            ["Audio:Sink"] = "alsa:" + AlsaCapture.Device(capture),
        }))
        await using (var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, $"{daemon.BaseTopic}/#"))
        {
            var info = System.Text.Json.JsonDocument.Parse(await client.WaitForAsync($"{daemon.BaseTopic}/info", _ => true, TimeSpan.FromSeconds(30))).RootElement;
            await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", TimeSpan.FromSeconds(30));

            // info tells a dashboard what speaks, and on what.
            var voicesInInfo = info.GetProperty("voices").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
            Assert.Equal("cpu", voicesInInfo["en_US-multi-x_low"].GetProperty("provider").GetString());
            Assert.StartsWith("tensorrt: ", voicesInInfo["en_US-multi-x_low"].GetProperty("fallbacks")[0].GetString(), StringComparison.Ordinal);
            Assert.Equal("en_US-multi-x_low", info.GetProperty("default_voice").GetString());
            Assert.Equal(["cpu"], info.GetProperty("execution_providers").EnumerateArray().Select(p => p.GetString()));
            Assert.StartsWith("alsa:", info.GetProperty("sink").GetString(), StringComparison.Ordinal);

            await client.PublishAsync($"{daemon.BaseTopic}/say", """{"id": "p1", "text": "Hello world. Goodbye.", "voice": "en_US-multi-x_low:bob"}""");
            var finished = await client.WaitForEventAsync($"{daemon.BaseTopic}/events", TimeSpan.FromSeconds(30), "finished", "failed");

            Assert.Equal("finished", finished.GetProperty("event").GetString());
            Assert.Equal("en_US-multi-x_low:bob", finished.GetProperty("voice").GetString());
            Assert.Equal("cpu", finished.GetProperty("provider").GetString());
            Assert.Equal(16000, finished.GetProperty("sample_rate").GetInt32());
            Assert.Equal(2, finished.GetProperty("chunks").GetInt32());
            var samples = AlsaCapture.ReadSamples(capture);
            Assert.Equal(finished.GetProperty("audio_ms").GetDouble(), samples.Length / 16.0, 1.0);
            Assert.True(Speech.Rms(samples) > 1000);
        }

        File.Delete(capture);
        Directory.Delete(voices, recursive: true);
    }
}
