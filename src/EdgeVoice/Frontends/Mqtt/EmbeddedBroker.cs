using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>
/// An MQTT broker inside the daemon, on loopback only, used when <c>Mqtt:Broker</c> is empty so a
/// fresh machine speaks with no setup. Other programs on the same machine publish to it as to any broker.
/// When the port is already taken (typically by a Mosquitto service on 1883), the daemon uses
/// whatever listens there as its broker instead of failing to start.
/// <para>
/// Every client must give <c>Mqtt:EmbeddedUsername</c>/<c>Mqtt:EmbeddedPassword</c> when they are set.
/// The daemon's own client id is reserved: a CONNECT with it is accepted only when it carries
/// <see cref="DaemonToken"/>, a random secret made when the process starts, kept in memory only, which
/// the daemon's client sends as a CONNECT user property. (Where another broker already holds the port,
/// the token reaches that broker but opens nothing: it is valid only for this process's broker.) So no other program can take over the
/// daemon's session (and the requests queued in it) by connecting with its id, neither while the daemon
/// is connected (which would kick it off) nor while it is away (which would take its queued requests).
/// </para>
/// </summary>
internal sealed partial class EmbeddedBroker(IOptions<MqttOptions> options, ILogger<EmbeddedBroker> logger) : IHostedService, IDisposable
{
    /// <summary>Name of the CONNECT user property that carries <see cref="DaemonToken"/>.</summary>
    public const string DaemonTokenProperty = "edgevoice-daemon-token";

    // Hex text: a user property's value is a UTF-8 string (a broker such as Mosquitto checks it).
    private static readonly byte[] Token = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

    /// <summary>This process's secret: the only proof that a client using the daemon's client id is the daemon.</summary>
    public static ReadOnlyMemory<byte> DaemonToken => Token;

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
        _server.ValidatingConnectionAsync += ValidateConnection;
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
    /// Checks the login (when one is configured) and the reserved client id, and names clients that
    /// came without an id: MQTT 5 clients such as <c>mosquitto_pub -V 5</c> may connect with an empty
    /// client id and expect the broker to assign one. (MQTTnet's broker still refuses an empty id from
    /// MQTT 3.1.1 clients: those pass one with <c>-i NAME</c>.)
    /// </summary>
    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        var mqtt = options.Value;
        if (mqtt.EmbeddedBrokerRequiresLogin
            && !(SameSecret(e.UserName, mqtt.EmbeddedUsername) && SameSecret(e.Password, mqtt.EmbeddedPassword)))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            Log.LoginRefused(logger, e.ClientId, e.RemoteEndPoint?.ToString() ?? "?");
            return Task.CompletedTask;
        }

        if (string.Equals(e.ClientId, mqtt.EffectiveClientId, StringComparison.Ordinal) && !CarriesDaemonToken(e.UserProperties))
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            e.ReasonString = "this client id belongs to the EdgeVoice daemon";
            Log.ClientIdRefused(logger, e.ClientId, e.RemoteEndPoint?.ToString() ?? "?");
            return Task.CompletedTask;
        }

        if (string.IsNullOrEmpty(e.ClientId))
        {
            e.AssignedClientIdentifier = "auto-" + Guid.NewGuid().ToString("N");
        }

        return Task.CompletedTask;
    }

    private static bool CarriesDaemonToken(List<MqttUserProperty>? properties) =>
        properties is not null
        && properties.Any(p => string.Equals(p.Name, DaemonTokenProperty, StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(p.ValueBuffer.Span, Token));

    /// <summary>Compares in time that does not depend on where the strings differ.</summary>
    private static bool SameSecret(string? given, string? expected) =>
        given is not null && expected is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
        public static partial void Listening(ILogger logger, string address, int port);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
            Message = "127.0.0.1:{Port} is already in use, so no broker is embedded: connecting to the broker that listens there (set Mqtt:EmbeddedPort or --broker to choose another)")]
        public static partial void PortTaken(ILogger logger, int port);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
            Message = "Embedded MQTT broker refused client '{ClientId}' from {Remote}: wrong user name or password (Mqtt:EmbeddedUsername/EmbeddedPassword)")]
        public static partial void LoginRefused(ILogger logger, string clientId, string remote);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
            Message = "Embedded MQTT broker refused client '{ClientId}' from {Remote}: that client id is this daemon's own")]
        public static partial void ClientIdRefused(ILogger logger, string clientId, string remote);
    }
}
