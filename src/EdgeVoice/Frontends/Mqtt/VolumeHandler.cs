using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeVoice.Audio.Volume;
using MQTTnet;
using MQTTnet.Packets;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>
/// <c>&lt;base&gt;/volume</c>: sets the device volume (0–100: a bare number, or <c>{"volume": N}</c>); the level
/// is announced retained on <c>&lt;base&gt;/volume/state</c> on each connection and after every change.
/// </summary>
internal sealed class VolumeHandler : IMqttTopicHandler, IMqttAnnouncer
{
    private readonly MqttOutbox _outbox;
    private readonly VolumeControl _volume;

    public VolumeHandler(MqttOutbox outbox, VolumeControl volume)
    {
        _outbox = outbox;
        _volume = volume;
        _volume.Changed += level => _outbox.Enqueue(State(level));
    }

    public IEnumerable<MqttTopicFilter> Subscriptions => [MqttSubscriptions.Requests(_outbox.Topics.Volume)];

    public bool Handles(string topic) => topic == _outbox.Topics.Volume;

    public void Handle(MqttApplicationMessage message)
    {
        if (TryParse(Encoding.UTF8.GetString(message.Payload), out var level))
        {
            _volume.Set(level);
        }
        else
        {
            _outbox.Enqueue(State(_volume.Level)); // say again what it is, so a slider snaps back
        }
    }

    public IEnumerable<MqttApplicationMessage> Announcements() => [State(_volume.Level)];

    /// <summary>A level from <c>40</c>, <c>40.0</c> or <c>{"volume": 40}</c>; out-of-range values are clamped to 0–100.</summary>
    public static bool TryParse(string payload, out int level)
    {
        level = 0;
        payload = payload.Trim();
        double value;
        if (payload.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(payload);
                if (!json.RootElement.TryGetProperty("volume", out var field) || !field.TryGetDouble(out value))
                {
                    return false;
                }
            }
            catch (JsonException)
            {
                return false;
            }
        }
        else if (!double.TryParse(payload, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return false;
        }

        level = (int)Math.Round(Math.Clamp(value, 0, 100));
        return true;
    }

    private MqttApplicationMessage State(int level) => new MqttApplicationMessageBuilder()
        .WithTopic(_outbox.Topics.VolumeState)
        .WithPayload(level.ToString(CultureInfo.InvariantCulture))
        .WithRetainFlag(true)
        .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();
}
