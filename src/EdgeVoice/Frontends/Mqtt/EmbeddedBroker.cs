using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>
/// An MQTT broker inside the daemon, on loopback only, used when <c>Mqtt:Broker</c> is empty so a
/// fresh machine speaks with no setup. Other programs on the same machine publish to it as to any broker.
/// When the port is already taken (typically by a Mosquitto service on 1883), the daemon uses
/// whatever listens there as its broker instead of failing to start.
/// </summary>
internal sealed partial class EmbeddedBroker(IOptions<MqttOptions> options, ILogger<EmbeddedBroker> logger) : IHostedService, IDisposable
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var mqtt = options.Value;
        if (!mqtt.UsesEmbeddedBroker)
        {
            return;
        }

        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(mqtt.EmbeddedBindAddress))
            .WithDefaultEndpointBoundIPV6Address(IPAddress.Parse(mqtt.EmbeddedBindAddress) is var bind && IPAddress.IsLoopback(bind) ? IPAddress.IPv6Loopback : IPAddress.IPv6Any)
            .WithDefaultEndpointPort(mqtt.EmbeddedPort)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += AssignMissingClientId;
        try
        {
            await _server.StartAsync().ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            _server.Dispose();
            _server = null;
            Log.PortTaken(logger, mqtt.EmbeddedPort);
            return;
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException(
                $"The embedded MQTT broker cannot listen on 127.0.0.1:{mqtt.EmbeddedPort} ({e.Message}). " +
                "Set Mqtt:EmbeddedPort to a free port, or --broker mqtt://HOST:PORT to use a running broker.", e);
        }

        Log.Listening(logger, mqtt.EmbeddedBindAddress, mqtt.EmbeddedPort);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _server?.Dispose();

    /// <summary>
    /// MQTT 5 clients such as <c>mosquitto_pub -V 5</c> may connect with an empty client id and expect
    /// the broker to assign one; without this they are refused. (MQTTnet's broker still refuses an empty
    /// id from MQTT 3.1.1 clients: those pass one with <c>-i NAME</c>.)
    /// </summary>
    private static Task AssignMissingClientId(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId))
        {
            e.AssignedClientIdentifier = "auto-" + Guid.NewGuid().ToString("N");
        }

        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
        public static partial void Listening(ILogger logger, string address, int port);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
            Message = "127.0.0.1:{Port} is already in use, so no broker is embedded: connecting to the broker that listens there (set Mqtt:EmbeddedPort or --broker to choose another)")]
        public static partial void PortTaken(ILogger logger, int port);
    }
}
