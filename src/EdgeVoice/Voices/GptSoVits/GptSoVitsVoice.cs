using System.Diagnostics;
using System.Text.Json;
using EdgeVoice.Audio;
using EdgeVoice.Inference;
using EdgeVoice.Text;
using EdgeVoice.Voices.Espeak;
using EdgeVoice.Voices.GptSoVits.Frontend;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>
/// A GPT-SoVITS voice cloned from a reference clip: the chunk's phones after the reference's go through
/// the GPT (<see cref="SemanticDecoder"/> for the minimal layout, <see cref="OfficialDecoder"/> for the
/// official exporter's) to semantic tokens, and SoVITS turns tokens into 32 kHz audio.
/// Audio streams: every <see cref="GptSoVitsOptions.StreamTokens"/> tokens (once the lookahead exists)
/// a piece is decoded with history before and lookahead after, and pieces are cross-faded where they
/// meet, so the first audio of a chunk comes after a few dozen tokens however long the chunk is.
/// </summary>
internal sealed class GptSoVitsVoice : IVoice, IModelVoice, IStagedVoice, IDisposable
{
    private static readonly string[] SovitsInputs = ["pred_semantic", "text_seq", "refer_spec", "noise_scale", "speed", "ref_audio"];

    private readonly GptSoVitsBundle _bundle;
    private readonly ITokenDecoder _decoder;
    private readonly SpeakerFeatures _speaker;
    private readonly GptSoVitsFrontend _frontend;
    private readonly BertFeatures _bert;
    private readonly GptSoVitsOptions _options;
    private readonly ModelSession _sovits;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private Action<string>? _warn;

    private GptSoVitsVoice(GptSoVitsVoiceSpec spec, GptSoVitsBundle bundle, ITokenDecoder decoder, SpeakerFeatures speaker, GptSoVitsFrontend frontend, GptSoVitsOptions options, string featuresFrom)
    {
        Name = spec.Name;
        Language = spec.Language;
        _bundle = bundle;
        _decoder = decoder;
        _speaker = speaker;
        _frontend = frontend;
        _options = options;
        _sovits = bundle.Session(bundle.Decoder);
        _bert = new BertFeatures(bundle);
        FeaturesFrom = featuresFrom;
        Wiring = SovitsWiring.Of(Path.Combine(bundle.Folder, bundle.Decoder), [.. _sovits.Session.InputMetadata.Keys]);
        var unknown = _sovits.Session.InputMetadata.Keys.Where(k => !SovitsInputs.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new VoiceLoadException(Path.Combine(bundle.Folder, bundle.Decoder),
                $"the decoder wants {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which this version does not make (sv_emb is a v2Pro model's speaker-verification embedding)");
        }
    }

    public string Name { get; }

    public string Engine => "gpt-sovits";

    public string Language { get; }

    public string Provider => _bundle.Session(_bundle.MainGraph).Provider.Name();

    public AudioFormat Format => AudioFormat.Mono(_bundle.SampleRate);

    public GptSoVitsBundle Bundle => _bundle;

    public ITokenDecoder Decoder => _decoder;

    /// <summary>Which decoder input takes the noise multiplier and which the speed (traced from the graph).</summary>
    public SovitsWiring Wiring { get; }

    /// <summary><c>cache</c> when the speaker features came from the cache, else why they were computed.</summary>
    public string FeaturesFrom { get; }

    /// <summary>How the last chunk's generation went, and where its time went.</summary>
    public ChunkReport? LastChunk { get; private set; }

    /// <summary>The settings the voice speaks with.</summary>
    public GptSoVitsOptions Options => _options;

    /// <summary>The inputs of the last chunk and the pieces it was decoded in (for the benchmark's bare loop).</summary>
    public ChunkInputs? LastInputs { get; private set; }

    /// <summary>Tokens of the last chunk (for tests and the benchmark).</summary>
    public IReadOnlyList<long> LastTokens { get; private set; } = [];

    /// <summary>The last chunk's stages: frontend, GPT encoder, GPT steps, SoVITS.</summary>
    public VoiceLoadReport LoadReport => new(Provider, [], VoiceLoadReport.NoEngineCache, Wiring.Describe());

    public BareChunk? ReplayLastChunk() => new GptSoVitsBareLoop(this).Replay();

    public StageTimings? LastStages => LastChunk is { } report
        ? new StageTimings(LastTokens.Count, report.Frontend, report.Decode.Encoder, report.Decode.Steps, report.Decode.StepTime, report.Sovits)
        : null;

    /// <summary>A chunk runs the GPT encoder, many GPT steps and SoVITS: no single model to time alone.</summary>
    public string? SingleModel => null;

    /// <summary>Reads <c>voice.json</c>'s fields: <c>bundle</c>, <c>reference</c>, <c>reference_text</c>, <c>language</c>.</summary>
    public static GptSoVitsVoiceSpec Spec(string name, string folder, JsonElement manifest, string manifestPath)
    {
        string Field(string key) =>
            manifest.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                ? s
                : throw new VoiceLoadException(manifestPath, $"'{key}' is missing (a gpt-sovits voice names its bundle, reference, reference_text and language)");
        return new GptSoVitsVoiceSpec(name, folder, Path.GetFullPath(Field("bundle"), folder), Path.GetFullPath(Field("reference"), folder), Field("reference_text"), Field("language"));
    }

    /// <summary>Opens the bundle, loads the cached speaker features or computes them (and caches them), and makes the voice.</summary>
    public static GptSoVitsVoice Load(GptSoVitsVoiceSpec spec, SessionFactory sessions, EspeakLibrary espeak, GptSoVitsOptions options, Action<string>? warn = null)
    {
        var bundle = GptSoVitsBundle.Open(spec.Bundle, sessions);
        try
        {
            var frontend = new GptSoVitsFrontend(espeak, bundle.Symbols);
            var features = SpeakerCache.TryLoad(spec, bundle, out var reason);
            var from = "cache";
            if (features is null)
            {
                if (!File.Exists(spec.Reference))
                {
                    throw new VoiceLoadException(spec.Reference, "the reference clip is missing, and the speaker features must be made from it");
                }

                if (reason != "no cached speaker features yet")
                {
                    warn?.Invoke($"speaker features of '{spec.Name}' rebuilt: {reason}");
                }

                try
                {
                    features = SpeakerCache.Build(spec, bundle, frontend, options);
                }
                catch (ReferenceClipException e)
                {
                    throw new VoiceLoadException(spec.Reference, e.Message);
                }

                from = reason;
            }

            ITokenDecoder decoder = bundle.Layout == GptSoVitsLayout.Minimal ? new SemanticDecoder(bundle, options) : new OfficialDecoder(bundle, options);
            return new GptSoVitsVoice(spec, bundle, decoder, features, frontend, options, from) { _warn = warn };
        }
        catch
        {
            bundle.Dispose();
            throw;
        }
    }

    public short[] Synthesize(TextChunk chunk, CancellationToken cancellationToken)
    {
        var pieces = SynthesizePieces(chunk, cancellationToken).ToList();
        var all = new short[pieces.Sum(p => p.Length)];
        var at = 0;
        foreach (var piece in pieces)
        {
            piece.CopyTo(all, at);
            at += piece.Length;
        }

        return all;
    }

    public IEnumerable<short[]> SynthesizePieces(TextChunk chunk, CancellationToken cancellationToken)
    {
        var text = _frontend.Convert(chunk.Text);
        var phones = text.Phones;
        var silence = chunk.Boundary is ChunkBoundary.Sentence or ChunkBoundary.End ? (int)(_options.SentenceSilenceSeconds * _bundle.SampleRate) : 0;
        if (!GptSoVitsFrontend.Speakable(phones))
        {
            yield return new short[silence];
            yield break;
        }

        _oneAtATime.Wait(cancellationToken);
        try
        {
            var watch = Stopwatch.StartNew();
            var target = _frontend.Ids(phones);
            var targetBert = _bert.For(text, _decoder.BertWidth);
            var report = new ChunkReport(new DecodeReport());
            report.Frontend = watch.Elapsed;
            var random = _options.Seed is { } seed ? new Random(seed) : new Random();
            var tokens = new List<long>();
            var stream = new PieceAssembler(_options.StreamTokens, _options.StreamLookahead, _options.StreamHistory, _options.CrossfadeSamples, _options.FirstPieceTokens, _options.FirstPieceLookahead);
            var pieces = new List<PieceAssembler.Piece>();
            LastInputs = new ChunkInputs([.. _speaker.ReferencePhoneIds, .. target], _speaker.Prompt, _speaker.BertFor(_decoder.BertWidth, target.Length, targetBert), target, _speaker, pieces);
            foreach (var token in _decoder.Generate(target, targetBert, _speaker, random, report.Decode, cancellationToken))
            {
                tokens.Add(token);
                if (stream.Ready(tokens.Count) is { } piece)
                {
                    pieces.Add(piece);
                    yield return ToPcm(stream.Take(piece, Decode(tokens, piece, target, chunk.Speed, report)), 0);
                }
            }

            LastTokens = tokens;
            LastChunk = report;
            if (report.Decode.LimitReached)
            {
                _warn?.Invoke($"'{Name}' stopped a chunk at its step limit ({tokens.Count} tokens, {tokens.Count / 25.0:F1} s) before end-of-speech: \"{chunk.Text}\"");
            }

            if (stream.Final(tokens.Count) is { } last)
            {
                pieces.Add(last);
                yield return ToPcm(stream.Take(last, Decode(tokens, last, target, chunk.Speed, report)), silence);
            }
            else
            {
                yield return ToPcm(stream.Flush(), silence);
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// The inputs each graph is run with for <paramref name="chunk"/> (for INT8 calibration): the GPT
    /// encoder's and the decoder's, with the chunk's real tokens. The KV-cache step is left out: it is
    /// built FP16, and one sample of its caches is hundreds of megabytes.
    /// </summary>
    public IEnumerable<(string Graph, string Input, Array Values, long[] Shape)> CalibrationInputs(TextChunk chunk)
    {
        var text = _frontend.Convert(chunk.Text);
        if (!GptSoVitsFrontend.Speakable(text.Phones))
        {
            yield break;
        }

        var target = _frontend.Ids(text.Phones);
        Synthesize(chunk, CancellationToken.None);
        long[] tokens = [.. LastTokens];
        long[] ids = [.. _speaker.ReferencePhoneIds, .. target];
        var inputs = new List<(string Graph, string Input, Array Values, long[] Shape)>
        {
            (_bundle.Decoder, "pred_semantic", tokens, [1, 1, tokens.Length]),
            (_bundle.Decoder, "text_seq", target, [1, target.Length]),
        };
        if (Wiring.NoiseInput is { } noise)
        {
            inputs.Add((_bundle.Decoder, noise, new[] { (float)_options.NoiseScale }, [1]));
        }

        if (_bundle.Layout == GptSoVitsLayout.Minimal)
        {
            inputs.Add((_bundle.Decoder, "refer_spec", _speaker.ReferenceSpectrogram, [1, _speaker.Bins, _speaker.Frames]));
            inputs.Add((GptSoVitsBundle.GptEncoder, "phoneme_ids", ids, [1, ids.Length]));
            inputs.Add((GptSoVitsBundle.GptEncoder, "phoneme_ids_len", new[] { (long)ids.Length }, [1]));
            inputs.Add((GptSoVitsBundle.GptEncoder, "prompts", _speaker.Prompt, [1, _speaker.Prompt.Length]));
            inputs.Add((GptSoVitsBundle.GptEncoder, "bert_feature", _speaker.BertFor(_decoder.BertWidth, target.Length, _bert.For(text, _decoder.BertWidth)), [1, _decoder.BertWidth, ids.Length]));
        }
        else
        {
            inputs.Add((_bundle.Decoder, "ref_audio", _speaker.ReferenceAudio, [1, _speaker.ReferenceAudio.Length]));
        }

        foreach (var input in inputs.Where(i => _bundle.Session(i.Graph).Session.InputMetadata.ContainsKey(i.Input)))
        {
            yield return input;
        }
    }

    IEnumerable<ModelInput> IModelVoice.ModelInputs(TextChunk chunk) =>
        CalibrationInputs(chunk).Select(i => new ModelInput(Path.Combine(_bundle.Folder, i.Graph), i.Input, i.Values, i.Shape));

    public void Dispose()
    {
        _decoder.Dispose();
        _bundle.Dispose();
        _oneAtATime.Dispose();
    }

    /// <summary>Runs SoVITS on a piece's tokens (with its history and lookahead).</summary>
    private float[] Decode(List<long> tokens, PieceAssembler.Piece piece, long[] target, double speed, ChunkReport report)
    {
        var watch = Stopwatch.StartNew();
        var semantic = tokens.GetRange(piece.From, piece.To - piece.From).ToArray();
        try
        {
            using var outputs = TypedTensor.RunDeclared(_sovits.Session, _sovits.RunOptions, (name, metadata) => name switch
            {
                "pred_semantic" => TypedTensor.Longs(metadata, semantic, [1, 1, semantic.Length], name),
                "text_seq" => TypedTensor.Longs(metadata, target, [1, target.Length], name),
                "refer_spec" => TypedTensor.Floats(metadata, _speaker.ReferenceSpectrogram, [1, _speaker.Bins, _speaker.Frames], name),
                "ref_audio" => TypedTensor.Floats(metadata, _speaker.ReferenceAudio, [1, _speaker.ReferenceAudio.Length], name),
                _ when name == Wiring.NoiseInput => TypedTensor.Floats(metadata, [(float)_options.NoiseScale], [1], name),
                _ => TypedTensor.Floats(metadata, [(float)speed], [1], name), // speed: has an effect only where the export kept it
            }, [_sovits.Session.OutputMetadata.Keys.First()]);
            return TypedTensor.ReadFloats(outputs[0]);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw new SynthesisException($"ONNX Runtime failed in the SoVITS decoder of '{Name}': {e.Message}", e);
        }
        finally
        {
            report.Sovits += watch.Elapsed;
        }
    }

    private static short[] ToPcm(float[] audio, int silence)
    {
        var pcm = new short[audio.Length + silence];
        for (var i = 0; i < audio.Length; i++)
        {
            pcm[i] = (short)Math.Clamp(audio[i] * 32767f, -32768f, 32767f);
        }

        return pcm;
    }
}

/// <summary>What one chunk fed the graphs: phone ids (reference then chunk), prompt, BERT [width, phones], the chunk's phone ids, the speaker, and the pieces SoVITS decoded.</summary>
internal sealed record ChunkInputs(long[] PhoneIds, long[] Prompt, float[] Bert, long[] Target, SpeakerFeatures Speaker, IReadOnlyList<PieceAssembler.Piece> Pieces);

/// <summary>Where one chunk's time went: frontend, GPT encoder, GPT steps, SoVITS.</summary>
internal sealed class ChunkReport(DecodeReport decode)
{
    public DecodeReport Decode => decode;

    public TimeSpan Frontend { get; set; }

    public TimeSpan Sovits { get; set; }
}

/// <summary>
/// Cuts a growing token sequence into streamed pieces. A piece of <c>size</c> tokens is ready once
/// <c>lookahead</c> more exist; it is decoded from up to <c>history</c> tokens before it to its
/// lookahead, and the samples of its own tokens are kept (measured per token from the decoder's
/// output). Each piece but the last holds back its last <c>fade</c> samples; the next piece starts
/// that many samples earlier and cross-fades over them, so no sample is lost or repeated.
/// The first piece may be shorter (<c>firstSize</c> tokens, with <c>firstLookahead</c> tokens after it,
/// at most <c>lookahead</c>), so the first audio comes sooner; 0 makes it as long as the others.
/// </summary>
internal sealed class PieceAssembler(int size, int lookahead, int history, int fade, int firstSize = 0, int firstLookahead = int.MaxValue)
{
    private int _emitted;
    private float[] _tail = [];

    /// <summary>Tokens [From, To) go to the decoder; [Start, End) are the piece's own.</summary>
    public readonly record struct Piece(int From, int Start, int End, int To, bool Last);

    public Piece? Ready(int tokens)
    {
        var (own, ahead) = _emitted == 0 && firstSize is > 0 && firstSize < size ? (firstSize, Math.Min(lookahead, Math.Min(firstSize, firstLookahead))) : (size, lookahead);
        return tokens >= _emitted + own + ahead
            ? new Piece(Math.Max(0, _emitted - history), _emitted, _emitted + own, _emitted + own + ahead, Last: false)
            : null;
    }

    public Piece? Final(int tokens) =>
        tokens > _emitted ? new Piece(Math.Max(0, _emitted - history), _emitted, tokens, tokens, Last: true) : null;

    /// <summary>What remains when the last piece had no tokens of its own: the held-back tail.</summary>
    public float[] Flush()
    {
        var tail = _tail;
        _tail = [];
        return tail;
    }

    /// <summary>The samples to play for <paramref name="piece"/>, given the decoder's audio for its tokens.</summary>
    public float[] Take(Piece piece, float[] audio)
    {
        var perToken = (double)audio.Length / (piece.To - piece.From);
        var from = (int)Math.Round((piece.Start - piece.From) * perToken) - _tail.Length;
        var to = (int)Math.Round((piece.End - piece.From) * perToken);
        from = Math.Max(0, from);
        var kept = audio[from..Math.Min(to, audio.Length)];
        var overlap = Math.Min(_tail.Length, kept.Length);
        for (var i = 0; i < overlap; i++)
        {
            var w = (i + 0.5f) / overlap;
            kept[i] = (_tail[i] * (1 - w)) + (kept[i] * w);
        }

        _emitted = piece.End;
        if (piece.Last || fade == 0 || kept.Length <= fade)
        {
            _tail = [];
            return kept;
        }

        _tail = kept[^fade..];
        return kept[..^fade];
    }
}
