using System.Reflection;
using System.Text.Json;
using EdgeVoice.Voices;
using EdgeVoice.Voices.Piper;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>
/// The <c>info</c> answer to <c>describe</c>: one <c>tts</c> program with every loaded voice (its languages,
/// and its speakers when it has several), and the voice a <c>synthesize</c> asks for.
/// </summary>
internal sealed class WyomingInfo(VoiceRegistry voices)
{
    private static readonly string[] OtherServices = ["asr", "handle", "intent", "wake", "mic", "snd"];

    public static string Version { get; } =
        typeof(WyomingInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public byte[] Build() => WyomingFrames.Build("info", json =>
    {
        foreach (var empty in OtherServices)
        {
            json.WriteStartArray(empty);
            json.WriteEndArray();
        }

        json.WriteStartArray("tts");
        json.WriteStartObject();
        json.WriteString("name", "edgevoice");
        json.WriteString("description", "EdgeVoice: local text to speech (Piper, GPT-SoVITS, espeak-ng)");
        Attribution(json, "EdgeVoice", string.Empty);
        json.WriteBoolean("installed", true);
        json.WriteString("version", Version);
        json.WriteBoolean("supports_synthesize_streaming", true);
        json.WriteStartArray("voices");
        foreach (var info in voices.List().Where(v => v.Error is null))
        {
            json.WriteStartObject();
            json.WriteString("name", info.Name);
            json.WriteString("description", $"{info.Name} ({info.Engine}, {info.Language}, {info.SampleRate} Hz)");
            Attribution(json, info.Engine, EngineUrl(info.Engine));
            json.WriteBoolean("installed", true);
            json.WriteString("version", Version);
            json.WriteStartArray("languages");
            json.WriteStringValue(info.Language);
            json.WriteEndArray();
            if (Speakers(info.Name) is { Count: > 1 } speakers)
            {
                json.WriteStartArray("speakers");
                foreach (var speaker in speakers)
                {
                    json.WriteStartObject();
                    json.WriteString("name", speaker);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }
            else
            {
                json.WriteNull("speakers");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    });

    /// <summary>
    /// The voice to speak with: by name (with its speaker, <c>name:speaker</c>), else the first voice of
    /// the language (exact tag first, then the same primary language), else the default (null).
    /// </summary>
    public string? Choose(string? name, string? language, string? speaker)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            return string.IsNullOrWhiteSpace(speaker) ? name.Trim() : $"{name.Trim()}:{speaker.Trim()}";
        }

        if (string.IsNullOrWhiteSpace(language))
        {
            return null;
        }

        var wanted = Normalize(language);
        var loaded = voices.List().Where(v => v.Error is null).ToList();
        var preferred = loaded.Where(v => v.Name == voices.DefaultName).Concat(loaded.Where(v => v.Name != voices.DefaultName && v.Engine != "espeak")).Concat(loaded);
        return preferred.FirstOrDefault(v => Normalize(v.Language) == wanted)?.Name
            ?? preferred.FirstOrDefault(v => Primary(Normalize(v.Language)) == Primary(wanted))?.Name;
    }

    private IReadOnlyList<string>? Speakers(string name)
    {
        if (!voices.TryResolve(name, out var voice, out _) || voice is not PiperVoice { Config: { NumSpeakers: > 1 } config })
        {
            return null;
        }

        return config.SpeakerIdMap.Count > 0
            ? [.. config.SpeakerIdMap.OrderBy(p => p.Value).Select(p => p.Key)]
            : [.. Enumerable.Range(0, config.NumSpeakers).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static void Attribution(Utf8JsonWriter json, string name, string url)
    {
        json.WriteStartObject("attribution");
        json.WriteString("name", name);
        json.WriteString("url", url);
        json.WriteEndObject();
    }

    private static string EngineUrl(string engine) => engine switch
    {
        "piper" => "https://github.com/rhasspy/piper",
        "gpt-sovits" => "https://github.com/RVC-Boss/GPT-SoVITS",
        "espeak" => "https://github.com/espeak-ng/espeak-ng",
        _ => string.Empty,
    };

    private static string Normalize(string language) => language.Trim().Replace('_', '-').ToLowerInvariant();

    private static string Primary(string tag) => tag.Split('-')[0];
}
