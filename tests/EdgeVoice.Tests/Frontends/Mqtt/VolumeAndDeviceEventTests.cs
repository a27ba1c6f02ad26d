using System.Text.Json;
using EdgeVoice.Audio;
using EdgeVoice.Audio.Alsa;
using EdgeVoice.Audio.Volume;
using EdgeVoice.Core;
using EdgeVoice.Frontends.Mqtt;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Frontends.Mqtt;

/// <summary>The device volume (mixer or software gain, kept across restarts), <c>&lt;base&gt;/volume</c>, and device events on MQTT.</summary>
[Collection(MosquittoGroup.Name)]
public sealed class VolumeAndDeviceEventTests(MosquittoBroker broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("40", true, 40)]
    [InlineData(" 72.6 ", true, 73)]
    [InlineData("{\"volume\": 15}", true, 15)]
    [InlineData("150", true, 100)]
    [InlineData("-3", true, 0)]
    [InlineData("loud", false, 0)]
    [InlineData("{\"level\": 15}", false, 0)]
    [InlineData("NaN", false, 0)]
    public void TryParse_ReadsALevel_ClampedToZeroToHundred(string payload, bool ok, int level)
    {
        Assert.Equal(ok, VolumeHandler.TryParse(payload, out var parsed));
        Assert.Equal(level, parsed);
    }

    [Fact]
    public void Volume_ACardWithoutTheControl_FallsBackToSoftwareGain_AndTheLevelSurvivesARestart()
    {
        var file = Path.Combine(Path.GetTempPath(), $"edgevoice-volume-{Guid.NewGuid():N}");
        var options = Options.Create(new AudioOptions { Sink = "alsa", MixerControl = "Master", MixerCard = "hw:97", VolumeFile = file });
        using (var volume = new VolumeControl(options, NullLogger<VolumeControl>.Instance))
        {
            Assert.Equal(("software", 100), (volume.Method, volume.Level));
            Assert.Contains("hw:97", volume.MixerProblem, StringComparison.Ordinal);
            var seen = -1;
            volume.Changed += level => seen = level;
            volume.Set(40);
            Assert.Equal((40, 0.4), (seen, volume.SoftwareGain));
        }

        using var restarted = new VolumeControl(options, NullLogger<VolumeControl>.Instance);
        Assert.Equal((40, 0.4), (restarted.Level, restarted.SoftwareGain));
    }

    [Fact]
    public void Mixer_NoSuchCard_IsAnAlsaErrorNamingIt()
    {
        var e = Assert.Throws<AlsaException>(() => AlsaMixer.Open("hw:97", "Master"));
        Assert.Contains("hw:97", e.Message, StringComparison.Ordinal);
        Assert.Equal((0L, 50L, 100L, 37L), (AlsaMixer.RawValue(0, 0, 100), AlsaMixer.RawValue(50, 0, 100), AlsaMixer.RawValue(120, 0, 100), AlsaMixer.RawValue(50, -26, 100)));
    }

    [Fact]
    public void SoftwareGain_ScalesWhatReachesTheRealAlsaDevice()
    {
        var raw = Path.Combine(Path.GetTempPath(), $"edgevoice-gain-{Guid.NewGuid():N}.raw");
        var gain = 0.5;
        using (var sink = new GainSink(new AlsaSink(AlsaCapture.Device(raw), 100, NullLogger<AlsaSink>.Instance), () => gain))
        {
            using var playback = sink.Begin("g1", new AudioFormat(16_000, 1));
            playback.Write(Enumerable.Repeat((short)10_000, 1600).ToArray(), CancellationToken.None);
            gain = 1.0;
            playback.Write(Enumerable.Repeat((short)10_000, 1600).ToArray(), CancellationToken.None);
            playback.Finish();
        }

        var samples = AlsaCapture.ReadSamples(raw);
        Assert.Equal(3200, samples.Length);
        Assert.All(samples[..1600], s => Assert.Equal(5_000, s));
        Assert.All(samples[1600..], s => Assert.Equal(10_000, s));
    }

    [Fact]
    public async Task VolumeTopic_SetsTheLevel_AndItsStateIsRetained_ButtonEventsGoToEvents()
    {
        await using var daemon = await DaemonHost.StartAsync(new Dictionary<string, string?> { ["Mqtt:Broker"] = broker.Address },
            services => services.AddSingleton<IAudioSink>(new PacedSink(pace: 0)));
        await using var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, [$"{daemon.BaseTopic}/#"]);
        var info = JsonDocument.Parse(await client.WaitForAsync($"{daemon.BaseTopic}/info", _ => true, Patience)).RootElement;
        Assert.Equal((100, "software"), (info.GetProperty("volume").GetProperty("level").GetInt32(), info.GetProperty("volume").GetProperty("method").GetString()));
        Assert.Equal(0, info.GetProperty("hardware").GetArrayLength()); // no GPIO part configured
        await client.WaitForAsync($"{daemon.BaseTopic}/volume/state", t => t == "100", Patience);

        await client.PublishAsync($"{daemon.BaseTopic}/volume", "35");
        await client.WaitForAsync($"{daemon.BaseTopic}/volume/state", t => t == "35", Patience);
        Assert.Equal(35, daemon.Services.GetRequiredService<VolumeControl>().Level);

        daemon.Services.GetRequiredService<IRequestEvents>().Publish(
            new RequestEvent { Event = RequestEvent.ButtonPressed, Time = DateTimeOffset.UtcNow, Button = "stop", Action = "press" });
        var json = await client.WaitForAsync($"{daemon.BaseTopic}/events", t => t.Contains("\"button\"", StringComparison.Ordinal), Patience);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(("button", "stop", "press"), (root.GetProperty("event").GetString(), root.GetProperty("button").GetString(), root.GetProperty("action").GetString()));

        // A late subscriber gets the retained level.
        await using var late = await EventListener.ConnectAsync("127.0.0.1", broker.Port, [$"{daemon.BaseTopic}/volume/state"]);
        await late.WaitForAsync($"{daemon.BaseTopic}/volume/state", t => t == "35", Patience);
    }
}
