using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeVoice.Tests.Support;

/// <summary>A real Mosquitto broker on a free loopback port, for the tests of one collection.</summary>
public sealed class MosquittoBroker : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgevoice-mosquitto-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    public int Port { get; private set; }

    public string Address => $"mqtt://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var executable = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: apt-get install mosquitto (scripts/test.sh does this when run as root).");
        Directory.CreateDirectory(_directory);
        Port = FreePort();
        var config = Path.Combine(_directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stderr
            log_type error
            """);
        _process = Process.Start(new ProcessStartInfo(executable, ["-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("mosquitto did not start.");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10));
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
