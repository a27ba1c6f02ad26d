using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeVoice.Frontends.Mqtt;
using EdgeVoice.Frontends.Mqtt.HomeAssistant;
using EdgeVoice.Telemetry;

namespace EdgeVoice.Tests.Telemetry;

/// <summary>The dashboards in docs/dashboards name only what EdgeVoice really exports.</summary>
public sealed partial class DashboardTests
{
    private static readonly string Dashboards = Path.Combine(AppContext.BaseDirectory, "dashboards");

    /// <summary>Every series name the scrape endpoint can write, with the suffixes Prometheus adds to histograms.</summary>
    private static HashSet<string> Exported()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new Dictionary<string, (string Unit, bool Counter, bool Histogram)>
        {
            ["tts.time_to_first_audio"] = ("s", false, true),
            ["tts.request.queue.duration"] = ("s", false, true),
            ["tts.request.duration"] = ("s", false, true),
            ["tts.synthesis.duration"] = ("s", false, true),
            ["tts.synthesis.real_time_factor"] = ("1", false, true),
            ["tts.audio.duration"] = ("s", true, false),
            ["tts.requests"] = ("{request}", true, false),
            ["tts.queue.depth"] = ("{request}", false, false),
            ["tts.playback.underruns"] = ("{underrun}", true, false),
            ["tts.model.load.duration"] = ("s", false, true),
            ["tts.buttons"] = ("{press}", true, false),
        };
        Assert.Equal(EdgeVoiceMetrics.InstrumentNames.Order(), kinds.Keys.Order());
        foreach (var (instrument, (unit, counter, histogram)) in kinds)
        {
            var name = PrometheusText.NameOf(instrument, unit, counter);
            names.Add(name);
            if (histogram)
            {
                names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
        }

        return names;
    }

    [Fact]
    public void Grafana_EveryMetricInAnExpression_IsExported()
    {
        var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dashboards, "grafana-edgevoice.json"))).RootElement;
        var expressions = dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!)
            .Append(dashboard.GetProperty("templating").GetProperty("list")[1].GetProperty("query").GetString()!).ToList();

        var used = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet();

        Assert.NotEmpty(used);
        Assert.Empty(used.Except(Exported()));
        Assert.Contains("tts_time_to_first_audio_seconds_bucket", used);
    }

    [Fact]
    public void HomeAssistantCard_EveryEntity_IsOneTheDiscoveryCreates()
    {
        var card = File.ReadAllText(Path.Combine(Dashboards, "home-assistant-card.yaml"));
        var discovered = HomeAssistantDiscovery.Discovery("kiosk-1", "1", new MqttTopics("edgevoice/kiosk-1"))["cmps"]!.AsObject()
            .Select(c => $"{c.Value!["p"]}.edgevoice_kiosk_1_{c.Key}").ToHashSet();

        var entities = EntityName().Matches(card).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.NotEmpty(entities);
        Assert.Empty(entities.Except(discovered));
    }

    [GeneratedRegex(@"\btts_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"entity: ([a-z_]+\.[a-z0-9_]+)")]
    private static partial Regex EntityName();
}
