using System.Text.Json;

namespace EdgeVoice.Voices.Piper;

/// <summary>A Piper voice's <c>.onnx.json</c>: what EdgeVoice needs of it, read strictly (see shared/contracts/piper.md).</summary>
internal sealed record PiperConfig
{
    public required int SampleRate { get; init; }

    public required string EspeakVoice { get; init; }

    /// <summary><c>espeak</c> (phonemes from espeak-ng) or <c>text</c> (the text's own code points).</summary>
    public required string PhonemeType { get; init; }

    public required IReadOnlyDictionary<string, long[]> PhonemeIdMap { get; init; }

    public IReadOnlyDictionary<string, string[]> PhonemeMap { get; init; } = new Dictionary<string, string[]>();

    public required int NumSpeakers { get; init; }

    public IReadOnlyDictionary<string, int> SpeakerIdMap { get; init; } = new Dictionary<string, int>();

    public int DefaultSpeakerId { get; init; }

    public float NoiseScale { get; init; } = 0.667f;

    public float LengthScale { get; init; } = 1.0f;

    public float NoiseW { get; init; } = 0.8f;

    public string Language { get; init; } = "";

    public static PiperConfig Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new VoiceLoadException(path, $"not valid JSON (line {(e.LineNumber ?? 0) + 1})");
        }
        catch (FormatException e)
        {
            throw new VoiceLoadException(path, e.Message);
        }
    }

    internal static PiperConfig Read(JsonElement root)
    {
        var audio = Object(root, "audio");
        var phonemeType = OptionalString(root, "phoneme_type") ?? "espeak";
        if (phonemeType is not ("espeak" or "text"))
        {
            throw new FormatException($"'phoneme_type' is '{phonemeType}'; EdgeVoice reads 'espeak' and 'text' voices");
        }

        var espeakVoice = root.TryGetProperty("espeak", out var espeak) ? OptionalString(espeak, "voice") : null;
        if (phonemeType == "espeak" && string.IsNullOrWhiteSpace(espeakVoice))
        {
            throw new FormatException("'espeak.voice' is missing");
        }

        var map = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var entry in Object(root, "phoneme_id_map").EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Array || entry.Value.GetArrayLength() == 0)
            {
                throw new FormatException($"'phoneme_id_map' entry '{entry.Name}' must be a non-empty list of ids");
            }

            map[entry.Name] = [.. entry.Value.EnumerateArray().Select(v => v.GetInt64())];
        }

        foreach (var special in new[] { "_", "^", "$" })
        {
            if (!map.ContainsKey(special))
            {
                throw new FormatException($"'phoneme_id_map' has no '{special}' (Piper's pad, start and end symbols are _, ^ and $)");
            }
        }

        var inference = root.TryGetProperty("inference", out var i) ? i : default;
        var sampleRate = Int(audio, "sample_rate", "audio.sample_rate");
        if (sampleRate is < 8000 or > 192000)
        {
            throw new FormatException($"'audio.sample_rate' is {sampleRate}; expected 8000 to 192000");
        }

        var speakers = Int(root, "num_speakers", "num_speakers");
        if (speakers < 1)
        {
            throw new FormatException($"'num_speakers' is {speakers}; expected 1 or more");
        }

        return new PiperConfig
        {
            SampleRate = sampleRate,
            EspeakVoice = espeakVoice ?? "",
            PhonemeType = phonemeType,
            PhonemeIdMap = map,
            PhonemeMap = root.TryGetProperty("phoneme_map", out var phonemeMap) && phonemeMap.ValueKind == JsonValueKind.Object
                ? phonemeMap.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray(), StringComparer.Ordinal)
                : new Dictionary<string, string[]>(),
            NumSpeakers = speakers,
            SpeakerIdMap = root.TryGetProperty("speaker_id_map", out var speakerMap) && speakerMap.ValueKind == JsonValueKind.Object
                ? speakerMap.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, int>(),
            DefaultSpeakerId = root.TryGetProperty("default_speaker_id", out var defaultSpeaker) ? defaultSpeaker.GetInt32() : 0,
            NoiseScale = Float(inference, "noise_scale", 0.667f),
            LengthScale = Float(inference, "length_scale", 1.0f),
            NoiseW = Float(inference, "noise_w", 0.8f),
            Language = root.TryGetProperty("language", out var language) && language.ValueKind == JsonValueKind.Object
                ? OptionalString(language, "code") ?? ""
                : espeakVoice ?? "",
        };
    }

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new FormatException($"'{name}' is missing or not an object");

    private static int Int(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new FormatException($"'{path}' is missing or not a whole number");

    private static float Float(JsonElement parent, string name, float fallback) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetSingle()
            : fallback;

    private static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
