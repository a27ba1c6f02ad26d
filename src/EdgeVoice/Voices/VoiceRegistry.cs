using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using EdgeVoice.Text;
using EdgeVoice.Voices.Espeak;
using EdgeVoice.Voices.Piper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Voices;

/// <summary>A voice as <c>edgevoice voices</c> and <c>info</c> list it; <see cref="Error"/> is set for a voice that could not be loaded.</summary>
internal sealed record VoiceInfo(
    string Name,
    string Engine,
    string Language,
    int SampleRate,
    string Provider,
    double LoadMs,
    double WarmUpMs,
    IReadOnlyList<string> Fallbacks,
    string? Error = null,
    string? Wiring = null);

/// <summary>
/// The installed voices. At start it scans <c>Voices:Directory</c>: a Piper pair (<c>x.onnx</c> +
/// <c>x.onnx.json</c>) is a voice named <c>x</c>; a folder with a <c>voice.json</c> manifest names its
/// engine and files, and the <see cref="IVoiceEngine"/> of that name loads it. Each voice is validated, loaded and warmed up before the service reports ready;
/// a broken one is reported with its file and problem and does not stop the others. The built-in
/// <c>espeak</c> voice (and <c>espeak:NAME</c> for any espeak-ng voice) is always there.
/// </summary>
internal sealed partial class VoiceRegistry : IDisposable
{
    public const string BuiltInName = EspeakEngine.EngineName;
    private const string EspeakPrefix = "espeak:";
    private const string Manifest = "voice.json";

    private readonly IReadOnlyList<IVoiceEngine> _engines;
    private readonly VoicesOptions _options;
    private readonly ILogger<VoiceRegistry> _logger;
    private readonly IVoiceLoadListener? _listener;
    private readonly ConcurrentDictionary<string, IVoice> _voices = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, VoiceInfo> _infos = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<VoiceInfo> _failures = [];
    private readonly VoicePaths _paths;
    private string? _default;

    public VoiceRegistry(
        IEnumerable<IVoiceEngine> engines,
        IOptions<VoicesOptions> options,
        ILogger<VoiceRegistry> logger,
        IVoiceLoadListener? listener = null)
    {
        _engines = [.. engines];
        _options = options.Value;
        _logger = logger;
        _listener = listener;
        _paths = new VoicePaths(_options.Directory, _options.BundleDirectories, _options.AllowPathsOutside);
    }

    /// <summary>The voice of requests that name none.</summary>
    public string DefaultName => _default ?? (string.IsNullOrWhiteSpace(_options.Default) ? BuiltInName : _options.Default);

    /// <summary>Finds a voice by name (the default when <paramref name="name"/> is null).</summary>
    public bool TryResolve(string? name, out IVoice voice, out string error)
    {
        var wanted = string.IsNullOrWhiteSpace(name) ? DefaultName : name.Trim();
        error = string.Empty;
        if (_voices.TryGetValue(wanted, out voice!))
        {
            return true;
        }

        if (TryBuiltIn(wanted, out voice))
        {
            return true;
        }

        // name:speaker picks a speaker of a multi-speaker voice.
        var colon = wanted.LastIndexOf(':');
        if (colon > 0 && _voices.TryGetValue(wanted[..colon], out var model) && model is IMultiSpeakerVoice speakers)
        {
            if (speakers.TryWithSpeaker(wanted[(colon + 1)..], out var speaker, out error))
            {
                voice = _voices.GetOrAdd(wanted, speaker);
                return true;
            }

            return false;
        }

        var installed = string.Join(", ", _voices.Keys.Where(k => !k.Contains(':', StringComparison.Ordinal)).Order(StringComparer.Ordinal).Prepend(BuiltInName));
        error = $"no voice named '{wanted}'; installed: {installed} (and {EspeakPrefix}NAME for any espeak-ng voice)";
        return false;
    }

    /// <summary>Loads every installed voice and warms it up; throws when the configured default cannot be used.</summary>
    public void LoadAll()
    {
        try
        {
            Remember(Warm(Resolve(BuiltInName), loadMs: 0));
        }
        catch (EspeakUnavailableException e)
        {
            Log.EspeakUnavailable(_logger, e.Message);
            _failures.Add(new VoiceInfo(BuiltInName, EspeakEngine.EngineName, "", 0, "cpu", 0, 0, [], e.Message));
        }

        foreach (var (name, load) in Discover())
        {
            try
            {
                if (_voices.ContainsKey(name) || name.Equals(BuiltInName, StringComparison.OrdinalIgnoreCase))
                {
                    throw new VoiceLoadException(name, "another voice already has this name");
                }

                LoadAndWarm(load);
            }
            catch (Exception e) when (e is VoiceLoadException or SynthesisException or IOException or UnauthorizedAccessException or InvalidDataException or Audio.Wav.WavFormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                _voices.TryRemove(name, out _);
                Log.VoiceBroken(_logger, name, e.Message);
                _failures.Add(new VoiceInfo(name, "?", "", 0, "", 0, 0, [], e.Message));
            }
        }

        _default = ChooseDefault();
        if (!TryResolve(_default, out _, out var error))
        {
            throw new InvalidOperationException($"Voices:Default is not usable: {error}.");
        }

        Log.DefaultVoice(_logger, _default, _voices.Count);
    }

    /// <summary>
    /// Loads and warms up only the voice <paramref name="name"/> (the default when null), for the verbs
    /// that speak with one voice (<c>say</c>, <c>bench</c>): the other voices in the folder are neither
    /// loaded nor checked. A built-in name (<c>espeak</c>, <c>espeak:NAME</c>) loads nothing from the
    /// folder; <c>name:speaker</c> loads <c>name</c>. When no file or folder name matches (a manifest
    /// whose <c>name</c> differs from its folder, or no name and no <c>Voices:Default</c>), every voice
    /// is loaded as at start. <paramref name="error"/> carries the load failure of the voice asked for.
    /// </summary>
    public bool TryLoadOne(string? name, out IVoice voice, out string error)
    {
        var wanted = string.IsNullOrWhiteSpace(name) ? _options.Default : name.Trim();
        if (string.IsNullOrWhiteSpace(wanted))
        {
            LoadAll();
            return TryResolve(null, out voice, out error);
        }

        if (TryBuiltIn(wanted, out voice))
        {
            _default = wanted;
            error = string.Empty;
            return true;
        }

        var colon = wanted.LastIndexOf(':');
        var model = colon > 0 ? wanted[..colon] : wanted;
        var matches = Discover().Where(d => d.Name.Equals(wanted, StringComparison.OrdinalIgnoreCase) || d.Name.Equals(model, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 0)
        {
            LoadAll();
            return TryResolve(wanted, out voice, out error);
        }

        foreach (var (candidate, load) in matches)
        {
            try
            {
                LoadAndWarm(load);
            }
            catch (Exception e) when (e is VoiceLoadException or SynthesisException or IOException or UnauthorizedAccessException or InvalidDataException or Audio.Wav.WavFormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                Log.VoiceBroken(_logger, candidate, e.Message);
                _failures.Add(new VoiceInfo(candidate, "?", "", 0, "", 0, 0, [], e.Message));
                voice = null!;
                error = $"voice '{candidate}' cannot be used: {e.Message}";
                return false;
            }
        }

        _default = wanted;
        return TryResolve(wanted, out voice, out error);
    }

    /// <summary>Loaded voices first, then the ones that failed, each with what went wrong.</summary>
    public IReadOnlyList<VoiceInfo> List() =>
        [.. _infos.Values.OrderBy(v => v.Name, StringComparer.Ordinal), .. _failures];

    public void Dispose()
    {
        foreach (var voice in _voices.Values.OfType<IDisposable>())
        {
            voice.Dispose();
        }
    }

    private IVoice Resolve(string name) =>
        TryResolve(name, out var voice, out var error) ? voice : throw new InvalidOperationException(error);

    /// <summary>A voice an engine offers by name alone (<c>espeak</c>, <c>espeak:NAME</c>), kept once made.</summary>
    private bool TryBuiltIn(string wanted, out IVoice voice)
    {
        foreach (var engine in _engines)
        {
            if (engine.TryCreate(wanted, out var made))
            {
                voice = _voices.GetOrAdd(wanted, made);
                return true;
            }
        }

        voice = null!;
        return false;
    }

    private string ChooseDefault()
    {
        if (!string.IsNullOrWhiteSpace(_options.Default))
        {
            return _options.Default;
        }

        return _voices.Values.Where(v => v.Engine != EspeakEngine.EngineName).Select(v => v.Name).Order(StringComparer.Ordinal).FirstOrDefault() ?? BuiltInName;
    }

    /// <summary>The voices in the folder, each as a name and a way to load it.</summary>
    private IEnumerable<(string Name, Func<IVoice> Load)> Discover()
    {
        var root = Path.GetFullPath(_options.Directory);
        if (!Directory.Exists(root))
        {
            Log.NoVoicesFolder(_logger, root);
            yield break;
        }

        var manifests = Directory.EnumerateFiles(root, Manifest, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 })
            .Order(StringComparer.Ordinal).ToList();
        var manifestFolders = manifests.Select(Path.GetDirectoryName).ToHashSet(StringComparer.Ordinal);
        foreach (var manifest in manifests)
        {
            var folder = Path.GetDirectoryName(manifest)!;
            yield return (Path.GetFileName(folder), () => LoadFromManifest(manifest));
        }

        var models = Directory.EnumerateFiles(root, "*.onnx", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 })
            .Where(m => !manifestFolders.Contains(Path.GetDirectoryName(m)))
            .Order(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var name = Path.GetFileNameWithoutExtension(model);
            yield return (name, () => Engine(PiperEngine.EngineName, model).Load(PiperPair(name, model)));
        }
    }

    /// <summary>A bare <c>x.onnx</c> (with <c>x.onnx.json</c> beside it) as the manifest that would name it.</summary>
    private VoiceManifest PiperPair(string name, string model)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("engine", PiperEngine.EngineName);
            writer.WriteString("model", model);
            writer.WriteString("config", model + ".json");
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new VoiceManifest(name, Path.GetDirectoryName(model)!, model, document.RootElement.Clone()) { Paths = _paths };
    }

    /// <summary>Reads <c>voice.json</c> (<c>engine</c>, optional <c>name</c>, and the engine's own fields) and hands it to the engine it names.</summary>
    private IVoice LoadFromManifest(string manifest)
    {
        var folder = Path.GetDirectoryName(manifest)!;
        _paths.Check(manifest, manifest);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new VoiceLoadException(manifest, $"not valid JSON (line {(e.LineNumber ?? 0) + 1})");
        }

        var description = new VoiceManifest(Path.GetFileName(folder), folder, manifest, root) { Paths = _paths };
        var engine = description.Field("engine") ?? throw new VoiceLoadException(manifest, "'engine' is missing");
        return Engine(engine, manifest).Load(description with { Name = description.Field("name") ?? description.Name });
    }

    /// <summary>The engine that loads installed voices of kind <paramref name="name"/>.</summary>
    private IVoiceEngine Engine(string name, string path) =>
        _engines.FirstOrDefault(e => e.LoadsInstalledVoices && e.Name == name)
        ?? throw new VoiceLoadException(path, $"engine '{name}' is not one this version runs (it runs: {string.Join(", ", _engines.Where(e => e.LoadsInstalledVoices).Select(e => e.Name))})");

    /// <summary>Loads one voice, timed, makes it speakable by its name, and warms it up.</summary>
    private void LoadAndWarm(Func<IVoice> load)
    {
        var watch = Stopwatch.StartNew();
        var voice = load();
        var loadTime = watch.Elapsed;
        _listener?.Loaded(voice, loadTime);
        _voices[voice.Name] = voice;
        Remember(Warm(voice, loadTime.TotalMilliseconds));
    }

    private VoiceInfo Warm(IVoice voice, double loadMs)
    {
        var phrase = WarmUpPhrase(voice.Language, voice is IStagedVoice ? 0 : _options.WarmUpChars);
        var watch = Stopwatch.StartNew();
        voice.Synthesize(new TextChunk(0, phrase, 0, phrase.Length, ChunkBoundary.End), CancellationToken.None);
        var warmMs = watch.Elapsed.TotalMilliseconds;
        Log.WarmedUp(_logger, voice.Name, voice.Engine, voice.Provider, loadMs, warmMs);
        var report = voice.LoadReport;
        return new VoiceInfo(voice.Name, voice.Engine, voice.Language, voice.Format.SampleRate, voice.Provider, loadMs, warmMs, report.Fallbacks, Wiring: report.Wiring);
    }

    /// <summary>
    /// "Hello." (你好。), or when <paramref name="chars"/> is more, words without pauses up to about that many
    /// characters: as much speech as a chunk that long can hold.
    /// </summary>
    internal static string WarmUpPhrase(string language, int chars)
    {
        var chinese = language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || language.StartsWith("cmn", StringComparison.OrdinalIgnoreCase);
        if (chars <= 6)
        {
            return chinese ? "你好。" : "Hello.";
        }

        var words = chinese ? "欢迎光临今天天气很好我们一起去北京" : "the quick brown fox jumps over the lazy dog ";
        var phrase = new System.Text.StringBuilder(chars + words.Length);
        while (phrase.Length < chars)
        {
            phrase.Append(words);
        }

        return phrase.ToString(0, chars).TrimEnd() + (chinese ? "。" : ".");
    }

    private void Remember(VoiceInfo info) => _infos[info.Name] = info;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
            Message = "Voice '{Voice}' ({Engine} on {Provider}) loaded in {LoadMs:F0} ms, warmed up in {WarmMs:F0} ms")]
        public static partial void WarmedUp(ILogger logger, string voice, string engine, string provider, double loadMs, double warmMs);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Voice '{Voice}' cannot be used: {Reason}")]
        public static partial void VoiceBroken(ILogger logger, string voice, string reason);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "No voices folder at {Folder}; speaking with the built-in espeak voice")]
        public static partial void NoVoicesFolder(ILogger logger, string folder);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Default voice: {Voice} ({Count} voices ready)")]
        public static partial void DefaultVoice(ILogger logger, string voice, int count);

        [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "The built-in espeak voice is unavailable: {Reason}")]
        public static partial void EspeakUnavailable(ILogger logger, string reason);
    }
}
