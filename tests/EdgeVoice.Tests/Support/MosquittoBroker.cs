using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeVoice.Tests.Support;

/// <summary>A real Mosquitto broker on a free loopback port, for the tests of one collection.</summary>
public sealed class MosquittoBroker : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgevoice-mosquitto-" + Guid.NewGuid().ToString("N"));
    private Process? _process;
    private string _config = string.Empty;

    /// <summary>Keeps sessions and queued messages on disk, so they survive <see cref="KillAsync"/> and <see cref="RestartAsync"/>.</summary>
    public bool Persistent { get; init; }

    public int Port { get; private set; }

    public string Address => $"mqtt://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        _ = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: apt-get install mosquitto (scripts/test.sh does this when run as root).");
        Directory.CreateDirectory(_directory);

        // Started as root, Mosquitto drops to its own user, which must be able to save its sessions here.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_111_111);
        }
        Port = FreePort();
        _config = Path.Combine(_directory, "mosquitto.conf");
        await File.WriteAllTextAsync(_config, $"""
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence {(Persistent ? "true" : "false")}
            persistence_location {_directory}/
            autosave_interval 1
            {(Environment.GetEnvironmentVariable("EDGEVOICE_TEST_LOGS") == "1" ? $"log_dest file /tmp/mosquitto-{Port}.log\nlog_type all" : "log_dest stderr\nlog_type error")}
            """);
        await RestartAsync();
    }

    /// <summary>Starts the broker (again) on the same port and configuration.</summary>
    public async Task RestartAsync()
    {
        var executable = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.First(File.Exists);
        _process = Process.Start(new ProcessStartInfo(executable, ["-c", _config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("mosquitto did not start.");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10));
    }

    /// <summary>Stops the broker the way a crash or a restart does (SIGTERM lets it save its sessions first).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5_000);
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(50);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MosquittoGroup : ICollectionFixture<MosquittoBroker>
{
    public const string Name = "Mosquitto";
}
