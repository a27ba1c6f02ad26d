using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Mqtt.HomeAssistant;

/// <summary>Home Assistant MQTT discovery (configuration section <c>HomeAssistant</c>).</summary>
internal sealed class HomeAssistantOptions
{
    public const string Section = "HomeAssistant";

    /// <summary>Announces the daemon's sensors and <c>notify</c> entity to Home Assistant.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Home Assistant's discovery topic prefix (its own default is <c>homeassistant</c>).</summary>
    public string DiscoveryPrefix { get; set; } = "homeassistant";
}

internal sealed class HomeAssistantOptionsValidator : IValidateOptions<HomeAssistantOptions>
{
    public ValidateOptionsResult Validate(string? name, HomeAssistantOptions options) =>
        string.IsNullOrWhiteSpace(options.DiscoveryPrefix) || options.DiscoveryPrefix.IndexOfAny(['+', '#']) >= 0
            ? ValidateOptionsResult.Fail("HomeAssistant:DiscoveryPrefix must be a topic prefix without wildcards (Home Assistant's default is 'homeassistant').")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// The device discovery message (<c>&lt;prefix&gt;/device/&lt;device&gt;/config</c>): the daemon as one
/// device with latency sensors read from its <c>finished</c> events, a <c>notify</c> entity whose
/// messages are spoken, a <c>number</c> for the volume and a <c>button</c> that stops speech.
/// </summary>
internal static class HomeAssistantDiscovery
{
    public static string StatusTopic(HomeAssistantOptions options) => $"{options.DiscoveryPrefix}/status";

    public static string ConfigTopic(HomeAssistantOptions options, string device) => $"{options.DiscoveryPrefix}/device/{device}/config";

    public static JsonObject Discovery(string device, string version, MqttTopics topics)
    {
        var id = $"edgevoice_{device.Replace('-', '_')}";
        return new JsonObject
        {
            ["dev"] = new JsonObject
            {
                ["ids"] = new JsonArray(id),
                ["name"] = $"EdgeVoice {device}",
                ["mf"] = "EdgeVoice",
                ["mdl"] = "EdgeVoice speech daemon",
                ["sw"] = version,
            },
            ["o"] = new JsonObject { ["name"] = "EdgeVoice", ["sw"] = version },
            ["avty_t"] = topics.Availability,
            ["cmps"] = new JsonObject
            {
                ["time_to_first_audio"] = Latency(id, "Time to first audio", "time_to_first_audio_ms", "ms", topics),
                ["queue_wait"] = Latency(id, "Queue wait", "queue_ms", "ms", topics),
                ["synthesis_time"] = Latency(id, "Synthesis time", "synthesis_ms", "ms", topics),
                ["real_time_factor"] = new JsonObject
                {
                    ["p"] = "sensor",
                    ["name"] = "Real-time factor",
                    ["uniq_id"] = $"{id}_real_time_factor",
                    ["stat_t"] = topics.Events,
                    ["val_tpl"] = "{{ value_json.real_time_factor if value_json.event == 'finished' else this.state }}",
                    ["stat_cla"] = "measurement",
                },
                ["say"] = new JsonObject
                {
                    ["p"] = "notify",
                    ["name"] = "Say",
                    ["uniq_id"] = $"{id}_say",
                    ["cmd_t"] = topics.Say,
                },
                ["volume"] = new JsonObject
                {
                    ["p"] = "number",
                    ["name"] = "Volume",
                    ["uniq_id"] = $"{id}_volume",
                    ["cmd_t"] = topics.Volume,
                    ["stat_t"] = topics.VolumeState,
                    ["min"] = 0,
                    ["max"] = 100,
                    ["step"] = 1,
                    ["unit_of_meas"] = "%",
                    ["mode"] = "slider",
                },
                ["stop"] = new JsonObject
                {
                    ["p"] = "button",
                    ["name"] = "Stop",
                    ["uniq_id"] = $"{id}_stop",
                    ["cmd_t"] = topics.Stop,
                    ["pl_prs"] = "{}",
                },
            },
        };
    }

    private static JsonObject Latency(string id, string name, string field, string unit, MqttTopics topics) => new()
    {
        ["p"] = "sensor",
        ["name"] = name,
        ["uniq_id"] = $"{id}_{field}",
        ["dev_cla"] = "duration",
        ["unit_of_meas"] = unit,
        ["stat_cla"] = "measurement",
        ["stat_t"] = topics.Events,
        ["val_tpl"] = $"{{{{ value_json.{field} if value_json.event == 'finished' else this.state }}}}",
    };
}
