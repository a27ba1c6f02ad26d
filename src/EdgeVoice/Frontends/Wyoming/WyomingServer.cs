using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using EdgeVoice.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>
/// The Wyoming server: listens on <c>Wyoming:Address</c> (nothing when it is empty), serves each client
/// on its own connection, and advertises itself by zeroconf unless <c>Wyoming:Zeroconf</c> is false.
/// </summary>
internal sealed partial class WyomingServer(
    IOptions<WyomingOptions> options,
    IOptions<LimitsOptions> limits,
    SayRequestParser parser,
    Admission admission,
    RequestSpeaker speaker,
    WyomingInfo info,
    NetworkCapacity capacity,
    TimeProvider time,
    ILogger<WyomingServer> logger) : BackgroundService
{
    /// <summary>The <c>protocol</c> label of requests that come this way.</summary>
    public const string Frontend = "wyoming";

    private readonly ConcurrentDictionary<WyomingConnection, Task> _connections = new();

    /// <summary>Where the server listens once started (the port chosen when the address asked for port 0).</summary>
    public IPEndPoint? Endpoint { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || !WyomingOptions.TryParseAddress(settings.Address!, out var endpoint, out _))
        {
            return;
        }

        var services = new WyomingServices(parser, admission, speaker, info, capacity, settings, limits.Value.MaxTextChars, time, logger);
        var listener = new TcpListener(endpoint);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Endpoint = (IPEndPoint)listener.LocalEndpoint;
        Log.Listening(logger, Endpoint);

        using var zeroconf = settings.Zeroconf ? new MdnsResponder(settings.ZeroconfName ?? WyomingOptions.HostName(), WyomingOptions.HostName(), Endpoint.Port, logger) : null;
        var advertising = zeroconf is null ? Task.CompletedTask : Task.Run(() => AdvertiseAsync(zeroconf, stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(stoppingToken).ConfigureAwait(false);
                socket.NoDelay = true;
                if (_connections.Count >= settings.MaxConnections)
                {
                    _ = RefuseAsync(socket, settings.MaxConnections);
                    continue;
                }

                var connection = new WyomingConnection(socket, services, stoppingToken);
                _connections[connection] = Task.Run(() => ServeAsync(connection), CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            listener.Stop();
            await Task.WhenAll([.. _connections.Values, advertising]).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(WyomingConnection connection)
    {
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.ConnectionFailed(logger, connection.Remote, e.Message);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            _connections.TryRemove(connection, out _);
        }
    }

    private async Task AdvertiseAsync(MdnsResponder responder, CancellationToken stoppingToken)
    {
        try
        {
            await responder.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            Log.ZeroconfUnavailable(logger, e.Message);
        }
    }

    private static async Task RefuseAsync(Socket socket, int max)
    {
        using (socket)
        {
            try
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.SendAsync(WyomingFrames.Error(WyomingErrors.Busy, $"{max} clients are already connected (Wyoming:MaxConnections)"), SocketFlags.None, limit.Token).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // Gone already.
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Wyoming server listening on {Endpoint}")]
        public static partial void Listening(ILogger logger, IPEndPoint endpoint);

        [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Wyoming client {Remote} failed: {Reason}")]
        public static partial void ConnectionFailed(ILogger logger, string remote, string reason);

        [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Zeroconf is unavailable ({Reason}); add the server in Home Assistant by host and port")]
        public static partial void ZeroconfUnavailable(ILogger logger, string reason);
    }
}
