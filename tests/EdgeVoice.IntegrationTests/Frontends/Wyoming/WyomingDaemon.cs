using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Frontends.Wyoming;

/// <summary>EdgeVoice as its own process with its Wyoming server on a free loopback port (and its embedded broker on another).</summary>
public sealed class WyomingDaemon : IAsyncLifetime
{
    public const int IdleTimeoutSeconds = 4;
    private readonly string _root = Directory.CreateTempSubdirectory("edgevoice-wyoming-").FullName;
    private DaemonProcess? _process;

    public int Port { get; } = WyomingClient.FreePort();

    public string ZeroconfName { get; } = $"edgevoice-test-{Guid.NewGuid():N}"[..24];

    public string Output => _process?.Output ?? string.Empty;

    public async Task InitializeAsync()
    {
        var voices = Path.Combine(_root, "voices");
        Directory.CreateDirectory(voices);
        foreach (var name in new[] { "en_US-multi-x_low", "de_DE-test-x_low" })
        {
            File.Copy(TestVoices.PiperModel(name), Path.Combine(voices, name + ".onnx"));
            File.Copy(TestVoices.PiperModel(name) + ".json", Path.Combine(voices, name + ".onnx.json"));
        }

        _process = DaemonProcess.Start(
            "serve", "--sink", $"wav:{Path.Combine(_root, "wav")}", "--voices", voices,
            "--Voices:Default=espeak",
            $"--Mqtt:EmbeddedPort={WyomingClient.FreePort()}",
            $"--Wyoming:Address=tcp://127.0.0.1:{Port}",
            $"--Wyoming:IdleTimeoutSeconds={IdleTimeoutSeconds}",
            $"--Wyoming:ZeroconfName={ZeroconfName}");
        await WyomingClient.WaitForServerAsync(Port, TimeSpan.FromSeconds(90), () => Output);
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
