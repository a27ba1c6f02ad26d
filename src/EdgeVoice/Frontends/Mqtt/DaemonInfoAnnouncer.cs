using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EdgeVoice.Audio;
using EdgeVoice.Audio.Volume;
using EdgeVoice.Core;
using EdgeVoice.Telemetry;
using EdgeVoice.Voices;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>The retained <c>&lt;base&gt;/info</c>: what this daemon is and what it speaks with.</summary>
internal sealed record DaemonInfo(
    string Version,
    string Device,
    string DefaultVoice,
    IReadOnlyList<VoiceInfo> Voices,
    IReadOnlyList<string> ExecutionProviders,
    string Sink,
    VolumeInfo Volume,
    IReadOnlyList<DeviceFeature> Hardware);

/// <summary>The device volume: its level and how it is applied (<c>mixer:default:Master</c> or <c>software</c>, and why not the mixer).</summary>
internal sealed record VolumeInfo(int Level, string Method, string? Problem);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DaemonInfo))]
[JsonSerializable(typeof(DeviceFeature))]
internal sealed partial class DaemonInfoJsonContext : JsonSerializerContext;

/// <summary>
/// Publishes the retained description of this daemon on each connection: version, voices (with the provider each runs on), sink,
/// volume, and the attached hardware (buttons, LEDs, amplifier) with why any of it is not in use.
/// </summary>
internal sealed class DaemonInfoAnnouncer(
    IOptions<MqttOptions> options, VoiceRegistry voices, IAudioSink sink, MqttOutbox outbox, VolumeControl volume, DeviceFeatures hardware) : IMqttAnnouncer
{
    private static readonly JsonTypeInfo<DaemonInfo> InfoJson = JsonText.Readable<DaemonInfo>(DaemonInfoJsonContext.Default);

    public static string Version =>
        typeof(DaemonInfoAnnouncer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public IEnumerable<MqttApplicationMessage> Announcements()
    {
        var list = voices.List();
        var info = new DaemonInfo(
            Version,
            options.Value.Device,
            voices.DefaultName,
            list,
            [.. list.Where(v => v.Error is null).Select(v => v.Provider).Distinct().Order(StringComparer.Ordinal)],
            sink.Description,
            new VolumeInfo(volume.Level, volume.Method, volume.MixerProblem),
            hardware.List());
        return [MqttOutbox.Json(outbox.Topics.Info, JsonSerializer.SerializeToUtf8Bytes(info, InfoJson), retain: true)];
    }
}
