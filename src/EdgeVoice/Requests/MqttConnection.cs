using System.Buffers;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using EdgeVoice.Audio;
using EdgeVoice.Hosting;
using EdgeVoice.Pipeline;
using EdgeVoice.Voices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeVoice.Requests;

/// <summary>
/// Where requests enter: the MQTT client. It keeps a persistent session (so requests sent while it
/// is away are delivered when it returns), reconnects with jittered exponential backoff, turns each
/// message into a queued request, a cancellation or a refusal, and sends the outbox in order.
/// </summary>
internal sealed partial class MqttConnection : BackgroundService
{
    private static readonly TimeSpan FlushOnStop = TimeSpan.FromSeconds(3);
    private static readonly JsonTypeInfo<DaemonInfo> InfoJson = JsonText.Readable<DaemonInfo>(EventJsonContext.Default);

    private readonly MqttOptions _options;
    private readonly HermesOptions _hermes;
    private readonly HomeAssistantOptions _homeAssistant;
    private readonly SayRequestParser _parser;
    private readonly SpeechQueue _queue;
    private readonly SpeechWorker _worker;
    private readonly VoiceRegistry _voices;
    private readonly IAudioSink _sink;
    private readonly MqttOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttConnection> _logger;
    private readonly RecentIds _recentIds;
    private readonly EdgeVoice.Telemetry.EdgeVoiceMetrics _metrics;
    private readonly EdgeVoice.Telemetry.Readiness _readiness;
    private readonly PartitionedRateLimiter<string>? _rate;
    private readonly Lock _stateGate = new();
    private TaskCompletionSource _online = NewSignal();
    private TaskCompletionSource _lost = NewSignal();
    private string _lostReason = string.Empty;
    private IMqttClient? _client;

    public MqttConnection(
        IOptions<MqttOptions> options,
        IOptions<HermesOptions> hermes,
        IOptions<HomeAssistantOptions> homeAssistant,
        IOptions<LimitsOptions> limits,
        SayRequestParser parser,
        SpeechQueue queue,
        SpeechWorker worker,
        VoiceRegistry voices,
        IAudioSink sink,
        MqttOutbox outbox,
        EdgeVoice.Telemetry.EdgeVoiceMetrics metrics,
        EdgeVoice.Telemetry.Readiness readiness,
        TimeProvider time,
        ILogger<MqttConnection> logger)
    {
        _metrics = metrics;
        _readiness = readiness;
        _options = options.Value;
        _hermes = hermes.Value;
        _homeAssistant = homeAssistant.Value;
        _parser = parser;
        _queue = queue;
        _worker = worker;
        _voices = voices;
        _sink = sink;
        _outbox = outbox;
        _time = time;
        _logger = logger;
        _recentIds = new RecentIds(TimeSpan.FromSeconds(_options.DuplicateWindowSeconds), time);
        var rate = limits.Value;
        _rate = rate.RequestsPerSecond <= 0 ? null : PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate.Burst,
            TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(rate.RequestsPerSecond / 10)),
            ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, (int)Math.Ceiling(rate.RequestsPerSecond / 10)) / rate.RequestsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public MqttTopics Topics => _outbox.Topics;

    public override void Dispose()
    {
        _rate?.Dispose();
        base.Dispose();
    }

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
                await client.PublishAsync(Info(), stoppingToken).ConfigureAwait(false);
                if (_homeAssistant.Enabled)
                {
                    await client.PublishAsync(Discovery(), stoppingToken).ConfigureAwait(false);
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
                await Task.Delay(Backoff(failures++), _time, stoppingToken).ConfigureAwait(false);
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
        foreach (var topic in new[] { Topics.Say, Topics.Cancel, Topics.Stop })
        {
            // QoS 1 into a persistent session; retained requests are not replayed on subscribing.
            subscriptions.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce, noLocal: false, retainAsPublished: false, MqttRetainHandling.DoNotSendOnSubscribe);
        }

        if (_hermes.Enabled)
        {
            subscriptions.WithTopicFilter(Hermes.SayTopic, MqttQualityOfServiceLevel.AtLeastOnce, noLocal: false, retainAsPublished: false, MqttRetainHandling.DoNotSendOnSubscribe);
        }

        if (_homeAssistant.Enabled)
        {
            subscriptions.WithTopicFilter(HomeAssistant.StatusTopic(_homeAssistant), MqttQualityOfServiceLevel.AtLeastOnce);
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
                while (outbox.TryPeek(out var message))
                {
                    await WaitOnlineAsync(stoppingToken).ConfigureAwait(false);
                    IMqttClient? client;
                    lock (_stateGate)
                    {
                        client = _client;
                    }

                    if (client is not null && await TryPublishAsync(client, message, stoppingToken).ConfigureAwait(false))
                    {
                        outbox.TryRead(out _);
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
            while (_outbox.Reader.TryRead(out var message))
            {
                await client.PublishAsync(message, flush.Token).ConfigureAwait(false);
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
            if (message.Topic == Topics.Say)
            {
                Accept(message);
            }
            else if (message.Topic == Topics.Cancel)
            {
                Cancel(message);
            }
            else if (message.Topic == Topics.Stop)
            {
                var count = _worker.Stop("stopped by a stop request");
                Log.Stopped(_logger, count);
            }
            else if (message.Topic == Hermes.SayTopic)
            {
                AcceptHermes(message);
            }
            else if (message.Topic == HomeAssistant.StatusTopic(_homeAssistant) && Encoding.UTF8.GetString(message.Payload) == "online")
            {
                // Home Assistant restarted: it forgets discovered devices unless they announce again.
                _outbox.Enqueue(Discovery());
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never let one message stop the client's receive loop; say what happened instead.
            Log.HandlerFailed(_logger, message.Topic, ex.Message);
            Reject(new RequestError(ErrorCodes.BadRequest, $"the message could not be handled: {ex.Message}"), message);
        }

        return Task.CompletedTask;
    }

    /// <summary>Validates one <c>say</c> message and queues it, or answers why not.</summary>
    internal void Accept(MqttApplicationMessage message)
    {
        var receivedAt = _time.GetTimestamp();
        if (!_parser.TryParse(message.Payload, receivedAt, out var request, out var error))
        {
            Reject(error, message);
            return;
        }

        request = request with { ResponseTopic = message.ResponseTopic, CorrelationData = message.CorrelationData };
        Enqueue(request, ClientOf(message));
    }

    /// <summary>A Hermes <c>hermes/tts/say</c>: spoken when it is for this site, answered on the Hermes topics.</summary>
    private void AcceptHermes(MqttApplicationMessage message)
    {
        HermesSayPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray(), HermesJsonContext.Default.HermesSayPayload);
        }
        catch (JsonException e)
        {
            _outbox.Publish(new RequestEvent { Event = RequestEvent.Rejected, Time = _time.GetUtcNow(), Code = ErrorCodes.BadRequest, Message = $"hermes/tts/say is not valid JSON: {e.Message}" });
            return;
        }

        if (payload is null || (payload.SiteId ?? "default") != _hermes.SiteId)
        {
            return; // for another site
        }

        var origin = new HermesOrigin(_hermes.SiteId, payload.SessionId);
        var candidate = new SayRequest(string.IsNullOrEmpty(payload.Id) ? Guid.NewGuid().ToString("N")[..12] : payload.Id, payload.Text ?? string.Empty, null, _time.GetTimestamp())
        {
            Volume = Math.Clamp(payload.Volume ?? 1.0, 0, 1),
            Hermes = origin,
            CallerId = !string.IsNullOrEmpty(payload.Id),
        };
        if (!_parser.Validate(candidate, out var request, out var error))
        {
            Reject(error, message, candidate);
            return;
        }

        Enqueue(request, $"hermes:{origin.SiteId}");
    }

    private void Enqueue(SayRequest request, string client)
    {
        if (request.CallerId && _options.DuplicateWindowSeconds > 0 && !_recentIds.TryAdd(request.Id))
        {
            Log.Duplicate(_logger, request.Id);
            return; // a redelivery of a request already answered: not spoken twice
        }

        if (_rate is not null)
        {
            using var lease = _rate.AttemptAcquire(client);
            if (!lease.IsAcquired)
            {
                Reject(new RequestError(ErrorCodes.RateLimited, $"client '{client}' sends more than Limits:RequestsPerSecond allows", request.Id), null, request);
                return;
            }
        }

        if (!_voices.TryResolve(request.Voice, out var voice, out var voiceError))
        {
            Reject(new RequestError(ErrorCodes.UnknownVoice, voiceError, request.Id), null, request);
            return;
        }

        var queued = RequestEvent.About(request, RequestEvent.Queued, _time.GetUtcNow()) with { Voice = voice.Name };
        if (!_queue.TryEnqueue(request, out var position, at => _outbox.Publish(queued with { Position = at })))
        {
            Reject(new RequestError(ErrorCodes.QueueFull, $"{position} requests are already waiting (Limits:QueueLength)", request.Id), null, request);
            return;
        }

        if (request.Interrupt)
        {
            _worker.Interrupt(request);
        }
    }

    /// <summary><c>{"id": "…"}</c> cancels that request, waiting or playing; an empty payload cancels what is playing.</summary>
    private void Cancel(MqttApplicationMessage message)
    {
        string? id = null;
        if (message.Payload.Length > 0)
        {
            try
            {
                id = JsonSerializer.Deserialize(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray(), RequestJsonContext.Default.CancelPayload)?.Id;
            }
            catch (JsonException e)
            {
                Reject(new RequestError(ErrorCodes.BadRequest, "cancel: " + SayRequestParser.DescribeJsonError(e, default)), message);
                return;
            }
        }

        if (_worker.Cancel(id, id is null ? "cancelled while playing" : "cancelled by request") == CancelResult.NotFound && id is not null)
        {
            Reject(new RequestError(ErrorCodes.BadRequest, $"cancel: no request '{id}' is waiting or playing", id), message);
        }
    }

    private static string ClientOf(MqttApplicationMessage message) =>
        (message.UserProperties?.FirstOrDefault(p => p.Name == "client") is { } property ? Encoding.UTF8.GetString(property.ValueBuffer.Span) : null) ?? message.ResponseTopic ?? "mqtt";

    private void Reject(RequestError error, MqttApplicationMessage? message, SayRequest? request = null)
    {
        Log.Rejected(_logger, error.Id ?? "-", error.Code, error.Message);
        _metrics.Outcome(RequestEvent.Rejected, error.Code, request is null ? "mqtt" : SpeechWorker.Protocol(request), request?.Voice, null);
        request ??= new SayRequest(error.Id ?? string.Empty, string.Empty, null, 0) { ResponseTopic = message?.ResponseTopic, CorrelationData = message?.CorrelationData };
        _outbox.Publish(RequestEvent.About(request, RequestEvent.Rejected, _time.GetUtcNow(), error.Code, error.Message) with { Id = error.Id });
    }

    /// <summary>The retained description of this daemon: version, voices (with the provider each runs on), sink.</summary>
    private MqttApplicationMessage Info()
    {
        var voices = _voices.List();
        var info = new DaemonInfo(
            Version,
            _options.Device,
            _voices.DefaultName,
            voices,
            [.. voices.Where(v => v.Error is null).Select(v => v.Provider).Distinct().Order(StringComparer.Ordinal)],
            _sink.Description);
        return MqttOutbox.Json(Topics.Info, JsonSerializer.SerializeToUtf8Bytes(info, InfoJson), retain: true);
    }

    private MqttApplicationMessage Discovery() => MqttOutbox.Json(
        HomeAssistant.ConfigTopic(_homeAssistant, _options.Device),
        Encoding.UTF8.GetBytes(HomeAssistant.Discovery(_options.Device, Version, Topics).ToJsonString()),
        retain: true);

    private static string Version =>
        typeof(MqttConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private MqttApplicationMessage Availability(string state) => new MqttApplicationMessageBuilder()
        .WithTopic(Topics.Availability)
        .WithPayload(Encoding.UTF8.GetBytes(state))
        .WithRetainFlag(true)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    /// <summary>Exponential backoff from <c>ReconnectMinMs</c> to <c>ReconnectMaxMs</c>, with ±20 % jitter so a fleet does not reconnect in step.</summary>
    internal TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures, 16);
        var baseMs = Math.Min((double)_options.ReconnectMaxMs, _options.ReconnectMinMs * Math.Pow(2, exponent));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(_options.ReconnectMaxMs, baseMs * jitter));
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

        [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Rejected request {Id} ({Code}): {Reason}")]
        public static partial void Rejected(ILogger logger, string id, string code, string reason);

        [LoggerMessage(EventId = 1107, Level = LogLevel.Debug, Message = "Request {Id} arrived again within the duplicate window; not spoken twice")]
        public static partial void Duplicate(ILogger logger, string id);

        [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "Stop: {Count} requests cancelled")]
        public static partial void Stopped(ILogger logger, int count);

        [LoggerMessage(EventId = 1109, Level = LogLevel.Error, Message = "Handling a message on {Topic} failed: {Reason}")]
        public static partial void HandlerFailed(ILogger logger, string topic, string reason);
    }
}
