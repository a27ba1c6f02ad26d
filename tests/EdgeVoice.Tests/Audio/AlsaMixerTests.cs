using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Audio;

/// <summary>
/// The mixer through ALSA's own configuration: a <c>softvol</c> control on the file PCM, defined in a test
/// asoundrc. softvol keeps its control on a sound card's control device, so this needs a card (it is skipped,
/// with the reason, on machines without one). The asoundrc reaches ALSA through the child process's
/// environment only: this process never calls setenv.
/// </summary>
public sealed class AlsaMixerTests
{
    [SoundCardFact]
    public async Task GpioCheck_FindsTheSoftvolControl_OfTheTestAsoundrc()
    {
        var folder = Directory.CreateTempSubdirectory("edgevoice-softvol").FullName;
        var config = Path.Combine(folder, "asound.conf");
        await File.WriteAllTextAsync(config, $$"""
            </usr/share/alsa/alsa.conf>
            pcm.edgevoice_volume {
              type softvol
              slave.pcm { type file slave.pcm null file "{{Path.Combine(folder, "out.raw")}}" format raw }
              control { name "EdgeVoice Test Volume" card 0 }
            }
            """);

        var (code, output) = await DaemonProcess.RunAsync(
            TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["ALSA_CONFIG_PATH"] = config },
            "gpio", "check", "--Audio:Sink=alsa:edgevoice_volume", "--Audio:MixerCard=hw:0", "--Audio:MixerControl=EdgeVoice Test Volume",
            $"--Audio:VolumeFile={Path.Combine(folder, "volume")}");

        Assert.True(code == 0, output);
        Assert.Contains("mixer:hw:0:EdgeVoice Test Volume", output, StringComparison.Ordinal);
    }
}

/// <summary>A test that needs a sound card's control device (<c>/dev/snd/controlC0</c>): skipped, with the reason, elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SoundCardFactAttribute : FactAttribute
{
    public SoundCardFactAttribute()
    {
        if (!File.Exists("/dev/snd/controlC0"))
        {
            Skip = "needs a sound card: softvol keeps its control on a card's control device (no /dev/snd/controlC0 here)";
        }
    }
}
