using System.Security.Cryptography;
using System.Text.Json;
using EdgeVoice.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>The two ONNX layouts a GPT-SoVITS bundle comes in.</summary>
internal enum GptSoVitsLayout
{
    /// <summary>The TensorRT-friendly minimal export: ssl, vq_encoder, gpt_encoder, gpt_step (fixed-size KV cache, sampling on the host), sovits, optional bert, config.json.</summary>
    Minimal,

    /// <summary>The official exporter: &lt;name&gt;_t2s_encoder, _t2s_fsdec, _t2s_sdec (sampling in the graph), _vits, and &lt;name&gt;.json.</summary>
    Official,
}

/// <summary>
/// A GPT-SoVITS bundle folder: which layout it is, its files (a missing one is named), its config and
/// symbol table, and its ONNX Runtime sessions, each made through the <see cref="SessionFactory"/> when
/// first needed (so a voice whose speaker features are cached never loads ssl or vq_encoder).
/// </summary>
internal sealed class GptSoVitsBundle : IDisposable
{
    public const string Ssl = "ssl.onnx";
    public const string VqEncoder = "vq_encoder.onnx";
    public const string GptEncoder = "gpt_encoder.onnx";
    public const string GptStep = "gpt_step.onnx";
    public const string Sovits = "sovits.onnx";
    public const string Bert = "bert.onnx";
    public const string Config = "config.json";

    private static readonly string[] MinimalFiles = [Ssl, VqEncoder, GptEncoder, GptStep, Sovits, Config];
    private static readonly string[] OfficialGraphs = ["_t2s_encoder.onnx", "_t2s_fsdec.onnx", "_t2s_sdec.onnx", "_vits.onnx"];

    private readonly SessionFactory _sessions;
    private readonly Dictionary<string, ModelSession> _open = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private SharedWeights? _shared;

    private GptSoVitsBundle(string folder, GptSoVitsLayout layout, SessionFactory sessions)
    {
        Folder = folder;
        Layout = layout;
        _sessions = sessions;
    }

    public string Folder { get; }

    public GptSoVitsLayout Layout { get; }

    /// <summary>Phone to id, from config.json's <c>symbol_to_id</c>.</summary>
    public IReadOnlyDictionary<string, long> Symbols { get; private set; } = new Dictionary<string, long>();

    /// <summary>Output rate of the SoVITS decoder (config <c>data.sampling_rate</c>, 32000).</summary>
    public int SampleRate { get; private set; } = 32000;

    public int FftSize { get; private set; } = 2048;

    public int HopLength { get; private set; } = 640;

    /// <summary>Model version (<c>v2</c>, <c>v2Pro</c>, …).</summary>
    public string Version { get; private set; } = "v2";

    public bool HasBert => File.Exists(Path.Combine(Folder, Bert));

    /// <summary>Sessions made so far, by file name (tests check that a cached voice made none for ssl).</summary>
    public IReadOnlyCollection<string> Loaded
    {
        get
        {
            lock (_gate)
            {
                return [.. _open.Keys];
            }
        }
    }

    /// <summary>Opens and checks a bundle folder; throws <see cref="VoiceLoadException"/> naming what is wrong.</summary>
    public static GptSoVitsBundle Open(string folder, SessionFactory sessions)
    {
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new VoiceLoadException(folder, "no GPT-SoVITS bundle folder here");
        }

        var layout = Detect(folder);
        string[] required;
        string? official = null;
        if (layout == GptSoVitsLayout.Official)
        {
            official = FindOfficialName(folder)!;
            required = [.. OfficialGraphs.Select(g => Path.Combine(official, official + g)), Ssl, Config];
        }
        else
        {
            required = MinimalFiles;
        }

        foreach (var file in required)
        {
            if (!File.Exists(Path.Combine(folder, file)))
            {
                throw new VoiceLoadException(folder, official is null
                    ? $"the bundle has no {file} (a GPT-SoVITS bundle has {string.Join(", ", MinimalFiles)} and may have {Bert})"
                    : file is Ssl or Config
                        ? $"the bundle is the official exporter's layout and has no {file}: that export makes no ssl graph and no symbol table, so put the minimal export's {Ssl} and {Config} beside {official}.json"
                        : $"the bundle is the official exporter's layout but has no {file}");
            }
        }

        var bundle = new GptSoVitsBundle(folder, layout, sessions) { OfficialName = official };
        bundle.ReadConfig();
        return bundle;
    }

    /// <summary>The official layout's graphs: <c>&lt;name&gt;/&lt;name&gt;_t2s_encoder.onnx</c> and so on.</summary>
    public string? OfficialName { get; private init; }

    /// <summary>A graph of the official layout, by its suffix (<c>t2s_encoder</c>, <c>t2s_fsdec</c>, <c>t2s_sdec</c>, <c>vits</c>).</summary>
    public string OfficialGraph(string suffix) => Path.Combine(OfficialName!, $"{OfficialName}_{suffix}.onnx");

    /// <summary>The graph that turns semantic tokens into audio: sovits.onnx, or the official layout's vits.</summary>
    public string Decoder => Layout == GptSoVitsLayout.Minimal ? Sovits : OfficialGraph("vits");

    /// <summary>The graph whose session's provider the voice reports.</summary>
    public string MainGraph => Layout == GptSoVitsLayout.Minimal ? GptStep : OfficialGraph("t2s_sdec");

    /// <summary>Which layout a folder holds, by its files (the minimal export's gpt_step.onnx, or the official exporter's &lt;name&gt;.json and &lt;name&gt;/ graphs).</summary>
    public static GptSoVitsLayout Detect(string folder) =>
        File.Exists(Path.Combine(folder, GptStep)) || File.Exists(Path.Combine(folder, GptEncoder))
            ? GptSoVitsLayout.Minimal
            : FindOfficialName(folder) is not null
                ? GptSoVitsLayout.Official
                : File.Exists(Path.Combine(folder, Config))
                    ? GptSoVitsLayout.Minimal
                    : throw new VoiceLoadException(folder, $"not a GPT-SoVITS bundle: no {GptStep} (minimal export) and no <name>.json with <name>/<name>_t2s_fsdec.onnx (official exporter)");

    /// <summary>The session of one graph, made on first use.</summary>
    public ModelSession Session(string file)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(file, out var session))
            {
                try
                {
                    session = _sessions.Create(Path.Combine(Folder, file), SharedFor(file));
                }
                catch (InferenceUnavailableException e)
                {
                    throw new VoiceLoadException(Path.Combine(Folder, file), e.Message);
                }

                _open[file] = session;
            }

            return session;
        }
    }

    /// <summary>Weights held once for gpt_encoder and gpt_step (two exports of one model), when they are shared.</summary>
    public SharedWeights? Shared => _shared;

    /// <summary>The minimal layout's gpt_encoder and gpt_step hold the same weights: read them once for both.</summary>
    private SharedWeights? SharedFor(string file)
    {
        if (Layout != GptSoVitsLayout.Minimal || file is not (GptEncoder or GptStep) || !_sessions.SharesWeights)
        {
            return null;
        }

        try
        {
            return _shared ??= SharedWeights.Find([Path.Combine(Folder, GptEncoder), Path.Combine(Folder, GptStep)]);
        }
        catch (InvalidDataException e)
        {
            throw new VoiceLoadException(Path.Combine(Folder, file), e.Message);
        }
    }

    /// <summary>The session of one graph, checked to have the inputs and outputs the engine feeds and reads; a missing one is named.</summary>
    public InferenceSession Graph(string file, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        var session = Session(file).Session;
        var missing = inputs.Where(i => !session.InputMetadata.ContainsKey(i)).Select(i => $"input '{i}'")
            .Concat(outputs.Where(o => !session.OutputMetadata.ContainsKey(o)).Select(o => $"output '{o}'"))
            .ToList();
        return missing.Count == 0
            ? session
            : throw new VoiceLoadException(Path.Combine(Folder, file), $"the graph has no {string.Join(", ", missing)} (see the GPT-SoVITS contract)");
    }

    /// <summary>The files the speaker features are made from: config.json (symbols, STFT), ssl, vq_encoder, and bert when present.</summary>
    public IEnumerable<string> FeatureFiles() =>
        new[] { Config, Ssl, VqEncoder, Bert }.Where(f => File.Exists(Path.Combine(Folder, f)));

    /// <summary>SHA-256 of one file's content, reused from <paramref name="known"/> when the size and modification time match.</summary>
    public static string FileHash(string path, IReadOnlyDictionary<string, (long Size, long Modified, string Sha256)> known, out (long Size, long Modified, string Sha256) entry)
    {
        var info = new FileInfo(path);
        var modified = info.LastWriteTimeUtc.Ticks;
        if (known.TryGetValue(info.Name, out var seen) && seen.Size == info.Length && seen.Modified == modified)
        {
            entry = seen;
            return seen.Sha256;
        }

        using var stream = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        entry = (info.Length, modified, hash);
        return hash;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var session in _open.Values)
            {
                session.Dispose();
            }

            _open.Clear();
            _shared?.Dispose();
            _shared = null;
        }
    }

    private static string? FindOfficialName(string folder) =>
        Directory.EnumerateFiles(folder, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .FirstOrDefault(name => Directory.Exists(Path.Combine(folder, name!)) && Directory.EnumerateFiles(Path.Combine(folder, name!), name + "_*.onnx").Any());

    private void ReadConfig()
    {
        var path = Path.Combine(Folder, Config);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (!root.TryGetProperty("symbol_to_id", out var table) || table.ValueKind != JsonValueKind.Object)
            {
                throw new VoiceLoadException(path, "no 'symbol_to_id' table (the minimal exporter writes the symbol table into config.json)");
            }

            Symbols = table.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
            if (!Symbols.ContainsKey("UNK"))
            {
                throw new VoiceLoadException(path, "the symbol table has no 'UNK'");
            }

            if (root.TryGetProperty("data", out var data))
            {
                SampleRate = Int(data, "sampling_rate", SampleRate);
                FftSize = Int(data, "filter_length", FftSize);
                HopLength = Int(data, "hop_length", HopLength);
            }

            if (root.TryGetProperty("model", out var model) && model.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String)
            {
                Version = version.GetString()!;
            }
        }
        catch (JsonException e)
        {
            throw new VoiceLoadException(path, $"not valid JSON (line {(e.LineNumber ?? 0) + 1})");
        }
        catch (InvalidOperationException e)
        {
            throw new VoiceLoadException(path, $"a value has the wrong type: {e.Message}");
        }

        static int Int(JsonElement parent, string name, int fallback) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : fallback;
    }
}
