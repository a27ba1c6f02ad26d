using System.Text.Json;
using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Integration;

/// <summary>
/// The daemon as its own process, against a real Mosquitto: what systemd starts and stops. With
/// <c>EDGEVOICE_BINARY</c> set (scripts/check-aot.sh) these run against the Native AOT binary.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class DaemonProcessTests(MosquittoBroker broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly GptSoVitsFixture _gptSoVits = new();

    public void Dispose() => _gptSoVits.Dispose();

    /// <summary>A voices folder with a Piper voice and an enrolled GPT-SoVITS voice.</summary>
    private string Voices()
    {
        var folder = _gptSoVits.Voices;
        File.Copy(TestVoices.PiperModel("en_US-test-x_low"), Path.Combine(folder, "en_US-test-x_low.onnx"));
        File.Copy(TestVoices.PiperModel("en_US-test-x_low") + ".json", Path.Combine(folder, "en_US-test-x_low.onnx.json"));
        _gptSoVits.Enroll("clone");
        return folder;
    }

    [Fact]
    public async Task Serve_SpeaksEveryKindOfVoiceOverMqtt_RejectsBadInput_AndStopsCleanlyOnSigterm()
    {
        var device = $"proc-{Guid.NewGuid():N}";
        var wavs = Path.Combine(_gptSoVits.Root, "wav");
        var topic = $"edgevoice/{device}";
        await using var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, $"{topic}/#");
        using var daemon = DaemonProcess.Start("serve", "--broker", broker.Address, "--device", device, "--sink", $"wav:{wavs}", "--voices", Voices(), $"--Voices:BundleDirectories:0={_gptSoVits.Bundle}");
        await client.WaitForAsync($"{topic}/availability", t => t == "online", Patience);

        foreach (var (voice, rate) in new[] { ("espeak", 22050), ("en_US-test-x_low", 16000), ("clone", 32000) })
        {
            await client.PublishAsync($"{topic}/say", $$"""{"id": "{{voice}}", "text": "Hello from the daemon process.", "voice": "{{voice}}"}""");
            var finished = await client.WaitForEventAsync($"{topic}/events", Patience, "finished", "failed", "rejected");
            Assert.True(finished.GetProperty("event").GetString() == "finished", $"{voice}: {finished}\n{daemon.Output}");
            Assert.Equal(voice, finished.GetProperty("id").GetString());
            Assert.Equal(rate, finished.GetProperty("sample_rate").GetInt32());
            Assert.True(finished.GetProperty("audio_ms").GetDouble() > 300, finished.ToString());
        }

        await client.PublishAsync($"{topic}/say", """{"text": "no closing brace" """);
        var rejected = await client.WaitForEventAsync($"{topic}/events", Patience, "rejected", "finished", "failed");
        Assert.Equal("rejected", rejected.GetProperty("event").GetString());
        Assert.False(string.IsNullOrEmpty(rejected.GetProperty("code").GetString()));

        Assert.Equal(3, Directory.GetFiles(wavs, "*.wav").Length);
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
    }

    [Fact]
    public async Task Say_WithAClonedVoice_WritesItsAudio()
    {
        var voices = Voices();
        var wav = Path.Combine(_gptSoVits.Root, "clone.wav");
        var (code, output) = await DaemonProcess.RunAsync(Patience, "say", "Good morning, everyone.", "--voice", "clone", "--voices", voices, "--out", wav, $"--Voices:BundleDirectories:0={_gptSoVits.Bundle}");

        Assert.True(code == 0, output);
        Assert.Contains("32000 Hz", output, StringComparison.Ordinal);
        Assert.True(new FileInfo(wav).Length > 32000, output); // more than half a second of 16-bit audio
    }

    [Fact]
    public async Task Enroll_RejectsATooShortClip_WithTheReason()
    {
        var clip = _gptSoVits.Clip("Hi.", leadingSilence: 1);
        var (code, output) = await DaemonProcess.RunAsync(
            Patience, "voices", "enroll", "short", "--bundle", _gptSoVits.Bundle, "--ref", clip, "--ref-text", "Hi.", "--lang", "en", "--voices", _gptSoVits.Voices);

        Assert.Equal(1, code);
        Assert.Contains("GPT-SoVITS needs 3 to 10 s", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadSetting_ExitsWith2AndASentenceNamingIt()
    {
        var (code, output) = await DaemonProcess.RunAsync(Patience, "voices", "--GptSoVits:TopK=0");
        Assert.Equal(2, code);
        Assert.Contains("GptSoVits:TopK must be between 1 and 1025", output, StringComparison.Ordinal);
    }
}
