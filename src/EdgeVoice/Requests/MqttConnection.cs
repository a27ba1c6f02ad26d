using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeVoice.Audio;
using EdgeVoice.Hosting;
using System.Threading.Channels;
using EdgeVoice.Voices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeVoice.Requests;

/// <summary>
/// Where requests enter: the MQTT client. It keeps itself connected (a cancellable loop with
/// jittered exponential backoff), turns each <c>say</c> message into a queued request or a
/// <c>rejected</c> event, and publishes events in order through one outbox, so events raised while
/// the link is down are sent when it returns.
/// </summary>
internal sealed partial class MqttConnection : BackgroundService, IRequestEvents
{
    private const int OutboxCapacity = 10_000;
    private static readonly TimeSpan FlushOnStop = TimeSpan.FromSeconds(3);
    private static readonly JsonTypeInfo<RequestEvent> EventJson = JsonText.Readable<RequestEvent>(EventJsonContext.Default);
    private static readonly JsonTypeInfo<DaemonInfo> InfoJson = JsonText.Readable<DaemonInfo>(EventJsonContext.Default);

    private readonly MqttOptions _options;
    private readonly SayRequestParser _parser;
    private readonly SpeechQueue _queue;
    private readonly VoiceRegistry _voices;
    private readonly IAudioSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttConnection> _logger;
    private readonly Channel<MqttApplicationMessage> _outbox;
    private readonly Lock _stateGate = new();
    private TaskCompletionSource _online = NewSignal();
    private TaskCompletionSource _lost = NewSignal();

    public MqttConnection(
        IOptions<MqttOptions> options,
        SayRequestParser parser,
        SpeechQueue queue,
        VoiceRegistry voices,
        IAudioSink sink,
        TimeProvider time,
        ILogger<MqttConnection> logger)
    {
        _sink = sink;
        _options = options.Value;
        _parser = parser;
        _queue = queue;
        _voices = voices;
        _time = time;
        _logger = logger;
        _outbox = Channel.CreateBounded<MqttApplicationMessage>(new BoundedChannelOptions(OutboxCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        Topics = new MqttTopics(_options.BaseTopic);
    }

    public MqttTopics Topics { get; }

    public void Publish(RequestEvent requestEvent)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(requestEvent, EventJson);
        _outbox.Writer.TryWrite(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Events)
            .WithPayload(json)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        client.DisconnectedAsync += OnDisconnectedAsync;

        var sender = SendOutboxAsync(client, stoppingToken);
        await StayConnectedAsync(client, stoppingToken).ConfigureAwait(false);
        await sender.ConfigureAwait(false);
        await CloseAsync(client).ConfigureAwait(false);
    }

    private MqttClientOptions BuildClientOptions()
    {
        var (host, port) = _options.Endpoint;
        return new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(_options.EffectiveClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(Topics.Availability)
            .WithWillPayload("offline")
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
    }

    /// <summary>Connects, subscribes and announces <c>online</c>; after a loss or a failure waits and tries again.</summary>
    private async Task StayConnectedAsync(IMqttClient client, CancellationToken stoppingToken)
    {
        var options = BuildClientOptions();
        var (host, port) = _options.Endpoint;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                lock (_stateGate)
                {
                    _lost = NewSignal();
                }

                await client.ConnectAsync(options, stoppingToken).ConfigureAwait(false);
                var subscription = new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(Topics.Say, MqttQualityOfServiceLevel.AtLeastOnce, noLocal: false, retainAsPublished: false,
                        MqttRetainHandling.DoNotSendOnSubscribe)
                    .Build();
                await client.SubscribeAsync(subscription, stoppingToken).ConfigureAwait(false);
                await client.PublishAsync(Info(), stoppingToken).ConfigureAwait(false);
                await client.PublishAsync(Availability("online"), stoppingToken).ConfigureAwait(false);
                failures = 0;
                Log.Connected(_logger, host, port, Topics.Say);
                lock (_stateGate)
                {
                    _online.TrySetResult();
                }

                await _lost.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
                Log.ConnectionLost(_logger, host, port);
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

            var delay = Backoff(failures++);
            try
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        lock (_stateGate)
        {
            if (_online.Task.IsCompleted)
            {
                _online = NewSignal();
            }

            _lost.TrySetResult();
        }

        return Task.CompletedTask;
    }

    /// <summary>Sends queued events in order; a message that fails stays first in line until the link returns.</summary>
    private async Task SendOutboxAsync(IMqttClient client, CancellationToken stoppingToken)
    {
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (_outbox.Reader.TryPeek(out var message))
                {
                    await WaitOnlineAsync(stoppingToken).ConfigureAwait(false);
                    if (await TryPublishAsync(client, message, stoppingToken).ConfigureAwait(false))
                    {
                        _outbox.Reader.TryRead(out _);
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
        if (message.Topic == Topics.Say)
        {
            Accept(message);
        }

        return Task.CompletedTask;
    }

    /// <summary>Validates one <c>say</c> message and queues it, or answers why not.</summary>
    internal void Accept(MqttApplicationMessage message)
    {
        var receivedAt = _time.GetTimestamp();
        if (!_parser.TryParse(message.Payload, receivedAt, out var request, out var error))
        {
            Reject(error);
            return;
        }

        if (!_voices.TryResolve(request.Voice, out var voice, out var voiceError))
        {
            Reject(new RequestError(ErrorCodes.UnknownVoice, voiceError, request.Id));
            return;
        }

        if (!_queue.TryEnqueue(request, out var position))
        {
            Reject(new RequestError(ErrorCodes.QueueFull, $"{position} requests are already waiting (Limits:QueueLength)", request.Id));
            return;
        }

        Publish(new RequestEvent
        {
            Id = request.Id,
            Event = RequestEvent.Queued,
            Time = _time.GetUtcNow(),
            Voice = voice.Name,
            Position = position,
        });
    }

    private void Reject(RequestError error)
    {
        Log.Rejected(_logger, error.Id ?? "-", error.Code, error.Message);
        Publish(new RequestEvent
        {
            Id = error.Id,
            Event = RequestEvent.Rejected,
            Time = _time.GetUtcNow(),
            Code = error.Code,
            Message = error.Message,
        });
    }

    /// <summary>The retained description of this daemon: version, voices (with the provider each runs on), sink.</summary>
    private MqttApplicationMessage Info()
    {
        var voices = _voices.List();
        var info = new DaemonInfo(
            typeof(MqttConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            _options.Device,
            _voices.DefaultName,
            voices,
            [.. voices.Where(v => v.Error is null).Select(v => v.Provider).Distinct().Order(StringComparer.Ordinal)],
            _sink.Description);
        return new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Info)
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(info, InfoJson))
            .WithContentType("application/json")
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
    }

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

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Lost the MQTT broker {Host}:{Port}; reconnecting")]
        public static partial void ConnectionLost(ILogger logger, string host, int port);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Cannot reach the MQTT broker {Host}:{Port}: {Reason}; retrying")]
        public static partial void ConnectFailed(ILogger logger, string host, int port, string reason);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Publishing to {Topic} failed: {Reason}; will retry")]
        public static partial void PublishFailed(ILogger logger, string topic, string reason);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Closing the MQTT connection cleanly failed: {Reason}")]
        public static partial void CloseFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Rejected request {Id} ({Code}): {Reason}")]
        public static partial void Rejected(ILogger logger, string id, string code, string reason);
    }
}

/// <summary>The topics under <c>&lt;prefix&gt;/&lt;device&gt;</c>: the product's public API.</summary>
internal sealed record MqttTopics(string Base)
{
    public string Say => $"{Base}/say";

    public string Events => $"{Base}/events";

    public string Availability => $"{Base}/availability";

    public string Info => $"{Base}/info";
}
