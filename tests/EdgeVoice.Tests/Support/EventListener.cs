using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeVoice.Tests.Support;

/// <summary>A plain MQTT client, as a kiosk would use: publishes requests and collects what EdgeVoice publishes.</summary>
internal sealed class EventListener : IAsyncDisposable
{
    private IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<(string Topic, byte[] Payload)> _received = Channel.CreateUnbounded<(string, byte[])>();

    private EventListener()
    {
    }

    private MqttClientOptions _options = null!;
    private string[] _topics = [];

    /// <summary>All events received so far, in order, whatever was waited for.</summary>
    public ConcurrentQueue<(string Topic, string Payload)> All { get; } = new();

    public static async Task<EventListener> ConnectAsync(string host, int port, params string[] topics) =>
        await ConnectAsync(host, port, persistent: false, topics);

    /// <summary>With <paramref name="persistent"/>, the broker keeps what arrives while the listener is away, until <see cref="ReconnectAsync"/>.</summary>
    public static Task<EventListener> ConnectAsync(string host, int port, bool persistent, params string[] topics) =>
        ConnectAsync(host, port, persistent, _ => { }, topics);

    /// <summary>With <paramref name="configure"/> adding to the client's options (a login, say).</summary>
    public static Task<EventListener> ConnectAsync(string host, int port, Action<MqttClientOptionsBuilder> configure, params string[] topics) =>
        ConnectAsync(host, port, persistent: false, configure, topics);

    private static async Task<EventListener> ConnectAsync(string host, int port, bool persistent, Action<MqttClientOptionsBuilder> configure, string[] topics)
    {
        var listener = new EventListener();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId("test-" + Guid.NewGuid().ToString("N"))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(!persistent)
            .WithSessionExpiryInterval(persistent ? 3600u : 0u);
        configure(builder);
        listener._options = builder.Build();
        listener._topics = topics;
        await listener.ReconnectAsync();
        return listener;
    }

    /// <summary>Connects (again, with a fresh client), retrying for a while, and subscribes.</summary>
    public async Task ReconnectAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                _client.Dispose();
                _client = new MqttClientFactory().CreateMqttClient();
                _client.ApplicationMessageReceivedAsync += e =>
                {
                    var payload = e.ApplicationMessage.Payload.ToArray();
                    All.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(payload)));
                    _received.Writer.TryWrite((e.ApplicationMessage.Topic, payload));
                    return Task.CompletedTask;
                };
                await _client.ConnectAsync(_options, limit.Token);
                break;
            }
            catch (Exception) when (!limit.IsCancellationRequested)
            {
                await Task.Delay(200, limit.Token);
            }
        }

        foreach (var topic in _topics)
        {
            await _client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);
        }
    }

    public async Task PublishAsync(string topic, byte[] payload, Action<MqttApplicationMessageBuilder> configure)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        configure(message);
        await _client.PublishAsync(message.Build(), CancellationToken.None);
    }

    public Task PublishAsync(string topic, string text) => PublishAsync(topic, Encoding.UTF8.GetBytes(text));

    public async Task PublishAsync(string topic, byte[] payload)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _client.PublishAsync(message, CancellationToken.None);
    }

    /// <summary>Waits for the next message on <paramref name="topic"/> that matches; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForAsync(string topic, Func<string, bool> match, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var (received, payload) = await _received.Reader.ReadAsync(limit.Token);
                var text = Encoding.UTF8.GetString(payload);
                if (received == topic && match(text))
                {
                    return text;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Nothing matching arrived on {topic} within {timeout.TotalSeconds} s.");
        }
    }

    /// <summary>Waits for the next event on <paramref name="topic"/> whose <c>event</c> is one of <paramref name="kinds"/>.</summary>
    public async Task<JsonElement> WaitForEventAsync(string topic, TimeSpan timeout, params string[] kinds)
    {
        var text = await WaitForAsync(topic, t => kinds.Contains(JsonDocument.Parse(t).RootElement.GetProperty("event").GetString()), timeout);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
        }

        _client.Dispose();
    }
}
