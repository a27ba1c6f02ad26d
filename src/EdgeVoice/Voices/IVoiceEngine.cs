using System.Text.Json;

namespace EdgeVoice.Voices;

/// <summary>
/// One kind of voice (<c>espeak</c>, <c>piper</c>, <c>gpt-sovits</c>): it loads the voices of its kind
/// from the voices folder, and may offer voices by name alone. Engines are registered in DI
/// (<see cref="VoiceEngines.AddVoiceEngines"/>) and <see cref="VoiceRegistry"/> looks them up by <see cref="Name"/>.
/// </summary>
internal interface IVoiceEngine
{
    /// <summary>The engine's name, as <c>voice.json</c>'s <c>engine</c> field spells it.</summary>
    string Name { get; }

    /// <summary>Whether this engine loads voices from the voices folder (the built-in espeak has no files).</summary>
    bool LoadsInstalledVoices { get; }

    /// <summary>Loads the voice an installed manifest describes; throws <see cref="VoiceLoadException"/> naming the file and the problem.</summary>
    IVoice Load(VoiceManifest manifest);

    /// <summary>A voice this engine offers by <paramref name="name"/> alone, without files (<c>espeak</c>, <c>espeak:NAME</c>).</summary>
    bool TryCreate(string name, out IVoice voice)
    {
        voice = null!;
        return false;
    }
}

/// <summary>
/// An installed voice as the voices folder describes it: <c>voice.json</c>'s fields, or, for a bare
/// Piper pair, the fields such a manifest would have (<c>model</c>, <c>config</c>).
/// </summary>
/// <param name="Name">The voice's name (the manifest's <c>name</c>, else its folder's, else the model's file name).</param>
/// <param name="Folder">The folder relative paths are read from.</param>
/// <param name="Path">The manifest (or the model of a bare pair), named in errors.</param>
/// <param name="Root">The manifest's JSON object.</param>
internal sealed record VoiceManifest(string Name, string Folder, string Path, JsonElement Root)
{
    /// <summary>A string field of the manifest, or null.</summary>
    public string? Field(string key) =>
        Root.ValueKind == JsonValueKind.Object && Root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A string field that must be there.</summary>
    public string Required(string key) => Field(key) ?? throw new VoiceLoadException(Path, $"'{key}' is missing");

    /// <summary>Where the files this manifest names may lie (checked by <see cref="FullPath"/>).</summary>
    public VoicePaths Paths { get; init; } = VoicePaths.Anywhere;

    /// <summary>
    /// A field that is a path, made absolute against <see cref="Folder"/>; throws <see cref="VoiceLoadException"/>
    /// when it resolves outside where <see cref="Paths"/> allows.
    /// </summary>
    public string FullPath(string relative, bool bundle = false)
    {
        var full = System.IO.Path.GetFullPath(relative, Folder);
        Paths.Check(full, Path, bundle);
        return full;
    }
}

/// <summary>How a voice loaded: the provider it runs on, why the ones before it were passed over, and its TensorRT engine cache.</summary>
/// <param name="Provider">Where the voice computes (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>).</param>
/// <param name="Fallbacks">Each provider passed over, with why.</param>
/// <param name="EngineCache">The TensorRT engine cache's state (<c>none</c> when there is none).</param>
/// <param name="Wiring">How the decoder's inputs are wired, where the engine traces them from the graph (GPT-SoVITS); else null.</param>
internal sealed record VoiceLoadReport(string Provider, IReadOnlyList<string> Fallbacks, string EngineCache, string? Wiring = null)
{
    public const string NoEngineCache = "none";
}

/// <summary>A voice with several speakers: <c>NAME:SPEAKER</c> picks one.</summary>
internal interface IMultiSpeakerVoice
{
    /// <summary>The same model speaking as <paramref name="speaker"/> (a name or a number).</summary>
    bool TryWithSpeaker(string speaker, out IVoice voice, out string error);
}

/// <summary>One input of one of a voice's ONNX models, as the voice would feed it.</summary>
/// <param name="Model">The model's file.</param>
/// <param name="Input">The input's name.</param>
/// <param name="Values">The values (<c>long[]</c> or <c>float[]</c>).</param>
/// <param name="Shape">The tensor's shape.</param>
internal sealed record ModelInput(string Model, string Input, Array Values, long[] Shape);

/// <summary>A voice whose ONNX models can be fed outside it: INT8 calibration samples, and the benchmark's bare loop.</summary>
internal interface IModelVoice
{
    /// <summary>
    /// The one model a chunk runs through, when the voice's work is a single run of it (the benchmark
    /// then times that model alone as its baseline); null otherwise.
    /// </summary>
    string? SingleModel { get; }

    /// <summary>The inputs each model is run with for <paramref name="chunk"/>; none when there is nothing to say in it.</summary>
    IEnumerable<ModelInput> ModelInputs(Text.TextChunk chunk);
}

/// <summary>Where the last chunk's time went, stage by stage (GPT-SoVITS: frontend, GPT encoder, GPT steps, SoVITS).</summary>
internal sealed record StageTimings(int Tokens, TimeSpan Frontend, TimeSpan Encoder, int Steps, TimeSpan StepTime, TimeSpan Decoder);

/// <summary>A voice that reports where each chunk's time went.</summary>
internal interface IStagedVoice
{
    /// <summary>The last chunk's stages, or null before the first.</summary>
    StageTimings? LastStages { get; }

    /// <summary>The last chunk replayed on the voice's own graphs with nothing between the steps (the benchmark's baseline); null when the voice cannot.</summary>
    BareChunk? ReplayLastChunk() => null;
}

/// <summary>What the bare loop measured for one chunk.</summary>
internal readonly record struct BareChunk(double EncoderMs, int Steps, double StepsMs, double SovitsMs)
{
    public double TotalMs => EncoderMs + StepsMs + SovitsMs;

    public double StepMs => Steps > 0 ? StepsMs / Steps : 0;
}

