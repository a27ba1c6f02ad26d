using System.Buffers;
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
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<(string Topic, byte[] Payload)> _received = Channel.CreateUnbounded<(string, byte[])>();

    private EventListener()
    {
    }

    public static async Task<EventListener> ConnectAsync(string host, int port, params string[] topics)
    {
        var listener = new EventListener();
        listener._client.ApplicationMessageReceivedAsync += e =>
        {
            listener._received.Writer.TryWrite((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId("test-" + Guid.NewGuid().ToString("N"))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build();
        await listener._client.ConnectAsync(options, CancellationToken.None);
        foreach (var topic in topics)
        {
            await listener._client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);
        }

        return listener;
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
