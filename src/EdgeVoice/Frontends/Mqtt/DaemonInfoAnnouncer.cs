using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EdgeVoice.Audio;
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
    string Sink);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DaemonInfo))]
internal sealed partial class DaemonInfoJsonContext : JsonSerializerContext;

/// <summary>Publishes the retained description of this daemon on each connection: version, voices (with the provider each runs on), sink.</summary>
internal sealed class DaemonInfoAnnouncer(IOptions<MqttOptions> options, VoiceRegistry voices, IAudioSink sink, MqttOutbox outbox) : IMqttAnnouncer
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
            sink.Description);
        return [MqttOutbox.Json(outbox.Topics.Info, JsonSerializer.SerializeToUtf8Bytes(info, InfoJson), retain: true)];
    }
}
