using System.Net.Sockets;
using System.Text;
using EdgeVoice.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Hosting;

/// <summary>
/// The sd_notify protocol, spoken directly (the host's systemd integration only does so when systemd
/// is the parent process): <c>EXTEND_TIMEOUT_USEC</c> while voices load (TensorRT engine builds take
/// minutes), <c>READY=1</c> once they are warm, <c>WATCHDOG=1</c> at half the watchdog interval while
/// the playback lane makes progress, <c>STOPPING=1</c> on the way out.
/// </summary>
internal sealed partial class SystemdNotifications(
    IOptions<SystemdOptions> options,
    PipelineHealth health,
    TimeProvider time,
    ILogger<SystemdNotifications> logger) : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan Extension = TimeSpan.FromSeconds(90);
    private readonly CancellationTokenSource _stop = new();
    private ITimer? _extending;
    private Task _watchdog = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // Registered before the voices load: keep asking systemd for more time until they are ready.
        Notify($"STATUS=loading voices\nEXTEND_TIMEOUT_USEC={(long)Extension.TotalMicroseconds}");
        _extending = time.CreateTimer(_ => Notify($"EXTEND_TIMEOUT_USEC={(long)Extension.TotalMicroseconds}"), null, Extension / 3, Extension / 3);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _extending?.Dispose();
        Notify("READY=1\nSTATUS=ready");
        var usec = options.Value.WatchdogMicroseconds;
        if (usec > 0)
        {
            _watchdog = FeedWatchdogAsync(TimeSpan.FromMicroseconds(usec / 2), _stop.Token);
        }

        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Notify("STOPPING=1");
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watchdog.ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _extending?.Dispose();
        _stop.Dispose();
    }

    private async Task FeedWatchdogAsync(TimeSpan every, CancellationToken stoppingToken)
    {
        var stall = TimeSpan.FromSeconds(options.Value.StallSeconds);
        using var timer = new PeriodicTimer(every, time);
        var withheld = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (health.IsHealthy(stall))
                {
                    Notify("WATCHDOG=1");
                    withheld = false;
                }
                else if (!withheld)
                {
                    withheld = true;
                    Log.Stalled(logger, options.Value.StallSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Notify(string state)
    {
        var path = options.Value.NotifySocket;
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            // A leading '@' names a socket in the abstract namespace.
            var endpoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
            socket.SendTo(Encoding.UTF8.GetBytes(state), endpoint);
        }
        catch (SocketException e)
        {
            Log.NotifyFailed(logger, path, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Error, Message = "The playback lane has made no progress for {Seconds} s: the systemd watchdog is no longer fed")]
        public static partial void Stalled(ILogger logger, int seconds);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Notifying systemd on {Socket} failed: {Reason}")]
        public static partial void NotifyFailed(ILogger logger, string socket, string reason);
    }
}
