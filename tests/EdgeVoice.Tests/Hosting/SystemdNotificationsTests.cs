using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using EdgeVoice.Audio;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Tests.Hosting;

/// <summary>The sd_notify messages systemd would receive, on a notify socket the test provides.</summary>
[Collection(MosquittoGroup.Name)]
public sealed class SystemdNotificationsTests(MosquittoBroker broker) : IDisposable
{
    private readonly string _socketPath = Path.Combine(Path.GetTempPath(), $"edgevoice-notify-{Guid.NewGuid():N}.sock");
    private readonly ConcurrentQueue<(TimeSpan At, string Message)> _messages = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Socket? _socket;

    public void Dispose()
    {
        _socket?.Dispose();
        File.Delete(_socketPath);
    }

    [Fact]
    public async Task Ready_Extend_WatchdogWhileProgressing_WithheldWhenTheLaneIsStuck_Stopping()
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(_socketPath));
        _ = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (true)
            {
                int count;
                try
                {
                    count = await _socket.ReceiveAsync(buffer, SocketFlags.None);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                _messages.Enqueue((_clock.Elapsed, Encoding.UTF8.GetString(buffer, 0, count)));
            }
        });

        var daemon = await DaemonHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Mqtt:Broker"] = broker.Address,
                ["Systemd:NotifySocket"] = _socketPath,
                ["Systemd:WatchdogMicroseconds"] = "200000",
                ["Systemd:StallSeconds"] = "1",
            },
            services => services.AddSingleton<IAudioSink>(new WedgedSink()));
        await using var client = await EventListener.ConnectAsync("127.0.0.1", broker.Port, $"{daemon.BaseTopic}/#");
        await client.WaitForAsync($"{daemon.BaseTopic}/availability", t => t == "online", TimeSpan.FromSeconds(30));
        // Pings every 100 ms; wait for three (bounded, so a busy machine slows the test rather than failing it).
        var deadline = _clock.Elapsed + TimeSpan.FromSeconds(15);
        while (_messages.Count(m => m.Message == "WATCHDOG=1") < 3 && _clock.Elapsed < deadline)
        {
            await Task.Delay(50);
        }

        var early = _messages.Select(m => m.Message).ToList();
        Assert.Contains(early, m => m.Contains("EXTEND_TIMEOUT_USEC=", StringComparison.Ordinal));
        Assert.Contains(early, m => m.StartsWith("READY=1", StringComparison.Ordinal));
        Assert.True(early.Count(m => m == "WATCHDOG=1") >= 3, $"watchdog pings: {early.Count(m => m == "WATCHDOG=1")}");
        Assert.True(early.FindIndex(m => m.Contains("EXTEND", StringComparison.Ordinal)) < early.FindIndex(m => m.StartsWith("READY", StringComparison.Ordinal)));

        // The sound device wedges mid-utterance: within the stall limit the pings stop.
        await client.PublishAsync($"{daemon.BaseTopic}/say", "This will never finish playing.");
        await client.WaitForAsync($"{daemon.BaseTopic}/events", t => t.Contains("\"started\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await Task.Delay(2500);
        var lastPing = _messages.Where(m => m.Message == "WATCHDOG=1").Max(m => m.At);
        Assert.True(_clock.Elapsed - lastPing > TimeSpan.FromSeconds(1), $"still fed {(_clock.Elapsed - lastPing).TotalMilliseconds:F0} ms ago");

        await daemon.DisposeAsync();
        await Task.Delay(200);
        Assert.Contains(_messages, m => m.Message == "STOPPING=1");
    }

    /// <summary>A sound device that takes the first samples and never returns (until shutdown).</summary>
    private sealed class WedgedSink : IAudioSink, IPlayback
    {
        public string Description => "wedged";

        public int Underruns => 0;

        public IPlayback Begin(string utteranceId, AudioFormat format) => this;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            cancellationToken.WaitHandle.WaitOne();
            cancellationToken.ThrowIfCancellationRequested();
        }

        public void Finish()
        {
        }

        public void Dispose()
        {
        }
    }
}
