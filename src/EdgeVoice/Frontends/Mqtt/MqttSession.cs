using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeVoice.Core;
using EdgeVoice.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>
/// The MQTT client: it keeps a persistent session (so requests sent while it is away are delivered
/// when it returns), reconnects with jittered exponential backoff, subscribes for its topic handlers,
/// publishes the announcements and <c>online</c> on each connection, hands each message to the
/// handler of its topic, and sends the outbox in order.
/// </summary>
internal sealed partial class MqttSession(
    IOptions<MqttOptions> options,
    IEnumerable<IMqttTopicHandler> handlers,
    IEnumerable<IMqttAnnouncer> announcers,
    MqttOutbox outbox,
    Admission admission,
    Readiness readiness,
    TimeProvider time,
    ILogger<MqttSession> logger) : BackgroundService
{
    private static readonly TimeSpan FlushOnStop = TimeSpan.FromSeconds(3);

    private readonly MqttOptions _options = options.Value;
    private readonly IMqttTopicHandler[] _handlers = [.. handlers];
    private readonly IMqttAnnouncer[] _announcers = [.. announcers];
    private readonly MqttOutbox _outbox = outbox;
    private readonly TimeProvider _time = time;
    private readonly ILogger<MqttSession> _logger = logger;
    private readonly Readiness _readiness = readiness;
    private readonly Lock _stateGate = new();
    private TaskCompletionSource _online = NewSignal();
    private TaskCompletionSource _lost = NewSignal();
    private string _lostReason = string.Empty;
    private IMqttClient? _client;

    public MqttTopics Topics => _outbox.Topics;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sender = SendOutboxAsync(stoppingToken);
        await StayConnectedAsync(stoppingToken).ConfigureAwait(false);
        await sender.ConfigureAwait(false);
        if (_client is { } client)
        {
            await CloseAsync(client).ConfigureAwait(false);
            client.Dispose();
        }
    }

    /// <summary>A new client for each connection: one that died abnormally is not reused.</summary>
    private IMqttClient NewClient()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        client.DisconnectedAsync += e => OnDisconnectedAsync(client, e);
        return client;
    }

    private MqttClientOptions BuildClientOptions()
    {
        var (host, port) = _options.Endpoint;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(_options.EffectiveClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false) // a persistent session: requests sent while away are kept for us
            .WithSessionExpiryInterval(_options.SessionExpirySeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(Topics.Availability)
            .WithWillPayload("offline")
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        _options.ApplyCredentials(builder);

        if (_options.UsesTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(host);
                if (!string.IsNullOrWhiteSpace(_options.CaFile))
                {
                    tls.WithTrustChain([X509CertificateLoader.LoadCertificateFromFile(_options.CaFile)]);
                }

                if (!string.IsNullOrWhiteSpace(_options.ClientCertificateFile))
                {
                    tls.WithClientCertificates([X509Certificate2.CreateFromPemFile(_options.ClientCertificateFile, _options.ClientKeyFile)]);
                }
            });
        }

        return builder.Build();
    }

    /// <summary>Connects, subscribes and announces itself; after a loss or a failure waits and tries again.</summary>
    private async Task StayConnectedAsync(CancellationToken stoppingToken)
    {
        var options = BuildClientOptions();
        var (host, port) = _options.Endpoint;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var client = NewClient();
            IMqttClient? previous;
            lock (_stateGate)
            {
                _lost = NewSignal();
                previous = _client;
                _client = client;
            }

            // Outside the lock: disposing raises the old client's disconnect notice, which takes it.
            previous?.Dispose();
            try
            {

                await client.ConnectAsync(options, stoppingToken).ConfigureAwait(false);
                await client.SubscribeAsync(Subscriptions(), stoppingToken).ConfigureAwait(false);
                foreach (var announcement in _announcers.SelectMany(a => a.Announcements()))
                {
                    await client.PublishAsync(announcement, stoppingToken).ConfigureAwait(false);
                }

                await client.PublishAsync(Availability("online"), stoppingToken).ConfigureAwait(false);
                failures = 0;
                Log.Connected(_logger, host, port, Topics.Say);
                lock (_stateGate)
                {
                    _online.TrySetResult();
                }

                _readiness.BrokerConnected = true;
                await _lost.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
                _readiness.BrokerConnected = false;
                Log.ConnectionLost(_logger, host, port, _lostReason);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.ConnectFailed(_logger, host, port, e.Message);
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
                }
            }

            try
            {
                await Task.Delay(Backoff(failures++, _options.ReconnectMinMs, _options.ReconnectMaxMs, Random.Shared.NextDouble()), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private MqttClientSubscribeOptions Subscriptions()
    {
        var subscriptions = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in _handlers.SelectMany(h => h.Subscriptions))
        {
            subscriptions.WithTopicFilter(filter);
        }

        return subscriptions.Build();
    }

    private Task OnDisconnectedAsync(IMqttClient client, MqttClientDisconnectedEventArgs e)
    {
        lock (_stateGate)
        {
            if (!e.ClientWasConnected || !ReferenceEquals(client, _client))
            {
                // A failed attempt, or a client already replaced: the reconnect loop knows, and
                // the link that exists now is fine. (Such notices can come late.)
                return Task.CompletedTask;
            }

            if (_online.Task.IsCompleted)
            {
                _online = NewSignal();
            }

            _lostReason = $"{e.Reason}{(string.IsNullOrEmpty(e.ReasonString) ? "" : ": " + e.ReasonString)}{(e.Exception is { } error ? " (" + error.Message + ")" : "")}";
            _lost.TrySetResult();
        }

        return Task.CompletedTask;
    }

    /// <summary>Sends the outbox in order, on the current connection; a message that fails stays first in line until the link returns.</summary>
    private async Task SendOutboxAsync(CancellationToken stoppingToken)
    {
        var outbox = _outbox.Reader;
        try
        {
            while (await outbox.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (outbox.TryPeek(out var item))
                {
                    var message = item.Message;
                    await WaitOnlineAsync(stoppingToken).ConfigureAwait(false);
                    IMqttClient? client;
                    lock (_stateGate)
                    {
                        client = _client;
                    }

                    if (client is not null && await TryPublishAsync(client, message, stoppingToken).ConfigureAwait(false))
                    {
                        outbox.TryRead(out _);
                        item.Sent?.Invoke();
                    }
                    else
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(200), _time, stoppingToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; CloseAsync flushes what is left.
        }
    }

    private async Task<bool> TryPublishAsync(IMqttClient client, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.PublishFailed(_logger, message.Topic, e.Message);
            return false;
        }
    }

    private Task WaitOnlineAsync(CancellationToken cancellationToken)
    {
        Task online;
        lock (_stateGate)
        {
            online = _online.Task;
        }

        return online.WaitAsync(cancellationToken);
    }

    /// <summary>Sends what is left in the outbox (briefly), says <c>offline</c> and disconnects cleanly.</summary>
    private async Task CloseAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var flush = new CancellationTokenSource(FlushOnStop, _time);
        try
        {
            while (_outbox.Reader.TryRead(out var item))
            {
                await client.PublishAsync(item.Message, flush.Token).ConfigureAwait(false);
                item.Sent?.Invoke();
            }

            await client.PublishAsync(Availability("offline"), flush.Token).ConfigureAwait(false);
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), flush.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.CloseFailed(_logger, e.Message);
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        try
        {
            foreach (var handler in _handlers)
            {
                if (handler.Handles(message.Topic))
                {
                    handler.Handle(message);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never let one message stop the client's receive loop; say what happened instead.
            Log.HandlerFailed(_logger, message.Topic, ex.Message);
            admission.Reject(new RequestError(ErrorCodes.BadRequest, $"the message could not be handled: {ex.Message}"), SayHandler.Frontend, MqttReplies.To(_outbox, message));
        }

        return Task.CompletedTask;
    }

    private MqttApplicationMessage Availability(string state) => new MqttApplicationMessageBuilder()
        .WithTopic(Topics.Availability)
        .WithPayload(Encoding.UTF8.GetBytes(state))
        .WithRetainFlag(true)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    /// <summary>
    /// Exponential backoff from <paramref name="minMs"/> to <paramref name="maxMs"/>, with ±20 % jitter so a
    /// fleet does not reconnect in step. Pure: <paramref name="random"/> (0 to 1) picks the point in the jitter band.
    /// </summary>
    internal static TimeSpan Backoff(int failures, int minMs, int maxMs, double random)
    {
        var exponent = Math.Min(failures, 16);
        var baseMs = Math.Min((double)maxMs, minMs * Math.Pow(2, exponent));
        var jitter = 0.8 + (random * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(maxMs, baseMs * jitter));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Connected to MQTT broker {Host}:{Port}; listening on {Topic}")]
        public static partial void Connected(ILogger logger, string host, int port, string topic);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Lost the MQTT broker {Host}:{Port} ({Reason}); reconnecting")]
        public static partial void ConnectionLost(ILogger logger, string host, int port, string reason);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Cannot reach the MQTT broker {Host}:{Port}: {Reason}; retrying")]
        public static partial void ConnectFailed(ILogger logger, string host, int port, string reason);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Publishing to {Topic} failed: {Reason}; will retry")]
        public static partial void PublishFailed(ILogger logger, string topic, string reason);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Closing the MQTT connection cleanly failed: {Reason}")]
        public static partial void CloseFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 1109, Level = LogLevel.Error, Message = "Handling a message on {Topic} failed: {Reason}")]
        public static partial void HandlerFailed(ILogger logger, string topic, string reason);
    }
}
