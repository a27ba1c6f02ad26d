using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using EdgeVoice.Audio.Dsp;
using EdgeVoice.Inference;
using EdgeVoice.Voices.GptSoVits.Frontend;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>An enrolled GPT-SoVITS voice as its <c>voice.json</c> describes it.</summary>
internal sealed record GptSoVitsVoiceSpec(string Name, string Folder, string Bundle, string Reference, string ReferenceText, string Language);

/// <summary>
/// What GPT-SoVITS needs of the reference speaker for every chunk: the reference text's phone ids and
/// BERT features [width, phones]; for the minimal layout the prompt's semantic tokens (ssl then
/// vq_encoder) and the reference's linear spectrogram [1, bins, frames]; for the official layout,
/// whose graphs do the VQ and the STFT themselves, the ssl features and the 32 kHz clip.
/// </summary>
internal sealed record SpeakerFeatures(long[] ReferencePhoneIds, float[] ReferenceBert, int BertWidth)
{
    public long[] Prompt { get; init; } = [];

    public float[] ReferenceSpectrogram { get; init; } = [];

    public int Bins { get; init; }

    public int Frames { get; init; }

    public float[] SslContent { get; init; } = [];

    public long[] SslShape { get; init; } = [];

    public float[] ReferenceAudio { get; init; } = [];

    /// <summary>BERT features [<paramref name="width"/>, phones] for the reference's phones then the chunk's <paramref name="targetPhones"/>: the reference's rows, then <paramref name="target"/>'s ([width, targetPhones]; zeros when null).</summary>
    public float[] BertFor(int width, int targetPhones, float[]? target = null)
    {
        var reference = ReferencePhoneIds.Length;
        var phones = reference + targetPhones;
        var bert = new float[width * phones];
        if (BertWidth == width)
        {
            for (var w = 0; w < width; w++)
            {
                ReferenceBert.AsSpan(w * reference, reference).CopyTo(bert.AsSpan(w * phones, reference));
            }
        }

        if (target is not null && target.Length == width * targetPhones)
        {
            for (var w = 0; w < width; w++)
            {
                target.AsSpan(w * targetPhones, targetPhones).CopyTo(bert.AsSpan((w * phones) + reference, targetPhones));
            }
        }

        return bert;
    }
}

/// <summary>
/// The speaker features cached beside the voice in <c>features/</c>: one <c>.npy</c> file per array
/// (readable by numpy) and <c>manifest.json</c> recording what they were made from: the bundle files'
/// SHA-256 (re-hashed only when a file's size or time changes), the reference clip's SHA-256, its text and
/// language, and the frontend. Loading checks all of it and each array's hash; anything stale, damaged or
/// missing is rebuilt, and the reason is returned.
/// </summary>
internal static class SpeakerCache
{
    public const string FolderName = "features";
    public const string ManifestName = "manifest.json";
    private const int Format = 1;
    private const int ReferencePadding = 4800; // 0.3 s of zeros after the 16 kHz clip, as the minimal runtime does

    private static readonly string[] MinimalArrays = ["prompt_semantic.npy", "ref_phone_ids.npy", "ref_bert.npy", "refer_spec.npy"];
    private static readonly string[] OfficialArrays = ["ssl_content.npy", "ref_phone_ids.npy", "ref_bert.npy", "ref_audio.npy"];

    private static string[] ArraysOf(GptSoVitsBundle bundle) => bundle.Layout == GptSoVitsLayout.Minimal ? MinimalArrays : OfficialArrays;

    /// <summary>The cached features when they are valid for this voice and bundle; otherwise null and why.</summary>
    public static SpeakerFeatures? TryLoad(GptSoVitsVoiceSpec spec, GptSoVitsBundle bundle, out string reason)
    {
        var folder = Path.Combine(spec.Folder, FolderName);
        var manifestPath = Path.Combine(folder, ManifestName);
        if (!File.Exists(manifestPath))
        {
            reason = "no cached speaker features yet";
            return null;
        }

        try
        {
            var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))?.AsObject() ?? throw new InvalidDataException("empty manifest");
            if ((int?)manifest["format"] != Format)
            {
                reason = $"the cache has format {manifest["format"]}, this version writes {Format}";
                return null;
            }

            var expected = Key(spec, bundle, manifest);
            foreach (var (name, value) in expected)
            {
                var cached = manifest["key"]?[name]?.GetValue<string>();
                if (cached != value)
                {
                    reason = $"the cache was made for another {name.Replace('_', ' ')}";
                    return null;
                }
            }

            var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var file in ArraysOf(bundle))
            {
                var path = Path.Combine(folder, file);
                if (!File.Exists(path))
                {
                    reason = $"{file} is missing";
                    return null;
                }

                if (Sha256(path) != manifest["arrays"]?[file]?.GetValue<string>())
                {
                    reason = $"{file} is damaged (its SHA-256 differs from the manifest's)";
                    return null;
                }

                arrays[file] = Npy.Read(path);
            }

            var bert = arrays["ref_bert.npy"];
            reason = string.Empty;
            var features = new SpeakerFeatures(arrays["ref_phone_ids.npy"].As<long>(), bert.As<float>(), (int)bert.Shape[0]);
            if (bundle.Layout == GptSoVitsLayout.Minimal)
            {
                var spectrogram = arrays["refer_spec.npy"];
                return features with
                {
                    Prompt = arrays["prompt_semantic.npy"].As<long>(),
                    ReferenceSpectrogram = spectrogram.As<float>(),
                    Bins = (int)spectrogram.Shape[1],
                    Frames = (int)spectrogram.Shape[2],
                };
            }

            var ssl = arrays["ssl_content.npy"];
            return features with { SslContent = ssl.As<float>(), SslShape = ssl.Shape, ReferenceAudio = arrays["ref_audio.npy"].As<float>() };
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException or IOException or IndexOutOfRangeException)
        {
            reason = $"the cache cannot be read: {e.Message}";
            return null;
        }
    }

    /// <summary>Prepares the reference clip and computes the features from it (ssl, vq_encoder, spectrogram, phones), and writes the cache.</summary>
    public static SpeakerFeatures Build(GptSoVitsVoiceSpec spec, GptSoVitsBundle bundle, GptSoVitsFrontend frontend, GptSoVitsOptions options) =>
        Build(spec, bundle, frontend, PreparedReference.Prepare(spec.Reference, options.ReferenceLoudnessLufs));

    /// <summary>Computes the features from an already prepared reference clip and writes the cache.</summary>
    public static SpeakerFeatures Build(GptSoVitsVoiceSpec spec, GptSoVitsBundle bundle, GptSoVitsFrontend frontend, PreparedReference reference)
    {
        var text = frontend.Convert(spec.ReferenceText);
        var phones = frontend.Ids(text.Phones);
        const int bertWidth = 1024;
        var features = new SpeakerFeatures(phones, new BertFeatures(bundle).For(text, bertWidth), bertWidth);
        var padded = new float[reference.At16k.Length + ReferencePadding];
        reference.At16k.CopyTo(padded, 0);
        using var run = new RunOptions();
        float[] ssl;
        long[] shape;
        using (var hidden = RunOne(bundle.Session(GptSoVitsBundle.Ssl).Session, run, padded, [1, padded.Length]))
        {
            ssl = TypedTensor.ReadFloats(hidden[0]);
            shape = hidden[0].GetTensorTypeAndShape().Shape;
        }
        if (bundle.Layout == GptSoVitsLayout.Official)
        {
            features = features with { SslContent = ssl, SslShape = shape, ReferenceAudio = reference.At32k };
        }
        else
        {
            var vq = bundle.Session(GptSoVitsBundle.VqEncoder).Session;
            using var codes = RunOne(vq, run, ssl, shape);
            var spectrogram = Spectrogram.Magnitude(reference.At32k, bundle.FftSize, bundle.HopLength, out var frames);
            features = features with
            {
                Prompt = TypedTensor.ReadLongs(codes[0]),
                ReferenceSpectrogram = spectrogram,
                Bins = (bundle.FftSize / 2) + 1,
                Frames = frames,
            };
        }

        Write(spec, bundle, features, reference);
        return features;
    }

    /// <summary>Runs a one-input, one-output graph on floats (ssl): the output and its shape.</summary>
    /// <summary>Runs a one-input graph (ssl, vq_encoder) on floats and returns its first output.</summary>
    private static IDisposableReadOnlyCollection<OrtValue> RunOne(InferenceSession session, RunOptions run, float[] input, long[] shape) =>
        TypedTensor.RunDeclared(session, run, (name, metadata) => TypedTensor.Floats(metadata, input, shape, name), [session.OutputMetadata.Keys.First()]);

    private static void Write(GptSoVitsVoiceSpec spec, GptSoVitsBundle bundle, SpeakerFeatures features, PreparedReference reference)
    {
        var folder = Path.Combine(spec.Folder, FolderName);
        Directory.CreateDirectory(folder);
        var manifestPath = Path.Combine(folder, ManifestName);
        File.Delete(manifestPath); // a cache without its manifest is never trusted, even if writing stops half way

        Npy.Write<long>(Path.Combine(folder, "ref_phone_ids.npy"), features.ReferencePhoneIds, features.ReferencePhoneIds.Length);
        Npy.Write<float>(Path.Combine(folder, "ref_bert.npy"), features.ReferenceBert, features.BertWidth, features.ReferencePhoneIds.Length);
        if (bundle.Layout == GptSoVitsLayout.Minimal)
        {
            Npy.Write<long>(Path.Combine(folder, "prompt_semantic.npy"), features.Prompt, 1, features.Prompt.Length);
            Npy.Write<float>(Path.Combine(folder, "refer_spec.npy"), features.ReferenceSpectrogram, 1, features.Bins, features.Frames);
        }
        else
        {
            Npy.Write<float>(Path.Combine(folder, "ssl_content.npy"), features.SslContent, features.SslShape);
            Npy.Write<float>(Path.Combine(folder, "ref_audio.npy"), features.ReferenceAudio, 1, features.ReferenceAudio.Length);
        }

        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["key"] = new JsonObject(),
            ["bundle_files"] = new JsonObject(),
            ["arrays"] = new JsonObject(),
            ["reference_audio"] = new JsonObject
            {
                ["source_rate"] = reference.SourceRate,
                ["source_seconds"] = Math.Round(reference.SourceSeconds, 3),
                ["measured_lufs"] = Math.Round(reference.MeasuredLufs, 2),
                ["gain_db"] = Math.Round(reference.GainDb, 2),
                ["speech_from_seconds"] = Math.Round(reference.TrimStartSeconds, 3),
                ["speech_to_seconds"] = Math.Round(reference.TrimEndSeconds, 3),
            },
            ["created"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in Key(spec, bundle, manifest))
        {
            manifest["key"]![name] = value;
        }

        foreach (var file in ArraysOf(bundle))
        {
            manifest["arrays"]![file] = Sha256(Path.Combine(folder, file));
        }

        var temporary = manifestPath + ".tmp";
        File.WriteAllText(temporary, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, manifestPath, overwrite: true);
    }

    /// <summary>What the cache depends on; the bundle's per-file hashes are kept in (and reused from) <paramref name="manifest"/>.</summary>
    private static List<(string Name, string Value)> Key(GptSoVitsVoiceSpec spec, GptSoVitsBundle bundle, JsonObject manifest)
    {
        var known = new Dictionary<string, (long Size, long Modified, string Sha256)>(StringComparer.Ordinal);
        if (manifest["bundle_files"] is JsonObject files)
        {
            foreach (var (name, node) in files)
            {
                if (node is JsonObject entry && entry["size"] is not null && entry["modified"] is not null && entry["sha256"] is not null)
                {
                    known[name] = ((long)entry["size"]!, (long)entry["modified"]!, (string)entry["sha256"]!);
                }
            }
        }

        var hashes = new JsonObject();
        var combined = new List<string>();
        foreach (var file in bundle.FeatureFiles())
        {
            var hash = GptSoVitsBundle.FileHash(Path.Combine(bundle.Folder, file), known, out var entry);
            hashes[file] = new JsonObject { ["size"] = entry.Size, ["modified"] = entry.Modified, ["sha256"] = hash };
            combined.Add($"{file}:{hash}");
        }

        manifest["bundle_files"] = hashes;
        return
        [
            ("bundle", Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", combined))))),
            ("reference_clip", Sha256(spec.Reference)),
            ("reference_text", spec.ReferenceText),
            ("language", spec.Language),
            ("frontend", GptSoVitsFrontend.Version),
        ];
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
