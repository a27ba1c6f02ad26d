using System.Collections.Concurrent;
using EdgeVoice.Audio;
using EdgeVoice.Inference;
using EdgeVoice.Text;
using EdgeVoice.Voices.Espeak;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Voices.Piper;

/// <summary>
/// A Piper (VITS) voice: <c>x.onnx</c> with its <c>x.onnx.json</c>, one ONNX Runtime session per
/// voice. Each chunk is one <c>Run</c>; the audio is peak-normalised as Piper does, and sentence
/// ends get a short silence.
/// </summary>
internal sealed class PiperVoice : IVoice, IMultiSpeakerVoice, IModelVoice, IDisposable
{
    private readonly PiperModel _model;
    private readonly long _speakerId;

    private PiperVoice(string name, PiperModel model, long speakerId)
    {
        Name = name;
        _model = model;
        _speakerId = speakerId;
    }

    public string Name { get; }

    public string Engine => "piper";

    public string Language => _model.Config.Language;

    public string Provider => _model.Session.Provider.Name();

    public AudioFormat Format => AudioFormat.Mono(_model.Config.SampleRate);

    public PiperConfig Config => _model.Config;

    public ModelSession Session => _model.Session;

    /// <summary>The provider its session runs on, the providers passed over, and the engine cache.</summary>
    public VoiceLoadReport LoadReport => new(Provider, Session.Fallbacks, Session.EngineCache);

    /// <summary>Every chunk is one run of the model.</summary>
    public string? SingleModel => Session.ModelPath;

    /// <summary>Phonemes the voice's map does not know, skipped so far, by phoneme.</summary>
    public IReadOnlyDictionary<string, int> UnknownPhonemes => _model.Unknown;

    public static PiperVoice Load(string name, string modelPath, string configPath, SessionFactory sessions, EspeakLibrary espeak, double sentenceSilenceSeconds)
    {
        var config = PiperConfig.Load(configPath);
        ModelSession session;
        try
        {
            session = sessions.Create(modelPath);
        }
        catch (InferenceUnavailableException e)
        {
            throw new VoiceLoadException(modelPath, e.Message);
        }

        try
        {
            var inputs = session.InputNames.ToHashSet(StringComparer.Ordinal);
            foreach (var required in new[] { "input", "input_lengths", "scales" })
            {
                if (!inputs.Contains(required))
                {
                    throw new VoiceLoadException(modelPath, $"the model has no '{required}' input; a Piper model has input, input_lengths, scales (and sid)");
                }
            }

            if (config.NumSpeakers > 1 != inputs.Contains("sid"))
            {
                throw new VoiceLoadException(modelPath, $"the config says {config.NumSpeakers} speakers but the model {(inputs.Contains("sid") ? "has" : "has no")} 'sid' input");
            }

            var model = new PiperModel(config, session, new PiperPhonemizer(espeak, config), sentenceSilenceSeconds);
            return new PiperVoice(name, model, config.DefaultSpeakerId);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The same model speaking as another speaker, chosen by name (<c>speaker_id_map</c>) or number.</summary>
    public bool TryWithSpeaker(string speaker, out PiperVoice voice, out string error)
    {
        voice = this;
        error = string.Empty;
        var config = _model.Config;
        if (config.NumSpeakers <= 1)
        {
            error = $"voice '{Name}' has one speaker";
            return false;
        }

        if (!config.SpeakerIdMap.TryGetValue(speaker, out var id) && !int.TryParse(speaker, out id))
        {
            error = $"voice '{Name}' has no speaker '{speaker}' (speakers: {string.Join(", ", config.SpeakerIdMap.Keys)}, or 0 to {config.NumSpeakers - 1})";
            return false;
        }

        if (id < 0 || id >= config.NumSpeakers)
        {
            error = $"voice '{Name}' has speakers 0 to {config.NumSpeakers - 1}, not {id}";
            return false;
        }

        voice = new PiperVoice($"{Name}:{speaker}", _model, id);
        return true;
    }

    bool IMultiSpeakerVoice.TryWithSpeaker(string speaker, out IVoice voice, out string error)
    {
        var found = TryWithSpeaker(speaker, out var piper, out error);
        voice = piper;
        return found;
    }

    /// <summary>The model's inputs for one chunk, as <see cref="PiperInputs.Run"/> feeds them (<c>sid</c> only for multi-speaker models).</summary>
    public IEnumerable<ModelInput> ModelInputs(TextChunk chunk)
    {
        if (Prepare(chunk) is not { } inputs)
        {
            yield break;
        }

        var model = Session.ModelPath;
        yield return new ModelInput(model, "input", inputs.Ids, [1, inputs.Ids.Length]);
        yield return new ModelInput(model, "input_lengths", new[] { (long)inputs.Ids.Length }, [1]);
        yield return new ModelInput(model, "scales", inputs.Scales, [3]);
        if (inputs.SpeakerId is { } speaker)
        {
            yield return new ModelInput(model, "sid", new[] { speaker }, [1]);
        }
    }

    public short[] Synthesize(TextChunk chunk, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var inputs = Prepare(chunk);
        var silence = chunk.Boundary is ChunkBoundary.Sentence or ChunkBoundary.End ? _model.SentenceSilenceSamples : 0;
        if (inputs is null)
        {
            // Punctuation alone ("...") says nothing: only the pause.
            return new short[silence];
        }

        try
        {
            using var outputs = PiperInputs.Run(_model.Session.Session, inputs, _model.RunOptions, _model.OutputNames);
            // Whatever the output's layout ([1,1,1,T], [1,1,T], [1,T,1], [1,T]), its elements are the samples in order.
            var audio = outputs[0].GetTensorDataAsSpan<float>();
            var pcm = ToPcm(audio, silence);
            FadeEnds(pcm.AsSpan(0, audio.Length), _model.FadeSamples);
            return pcm;
        }
        catch (OnnxRuntimeException e)
        {
            throw new SynthesisException($"ONNX Runtime failed on '{Name}': {e.Message}", e);
        }
    }

    /// <summary>The model's inputs for one chunk, or null when the chunk has nothing to say.</summary>
    internal PiperInputs? Prepare(TextChunk chunk)
    {
        var ids = _model.PhonemeIds(chunk.Text, out var speakable);
        if (!speakable)
        {
            return null;
        }

        var config = _model.Config;
        float[] scales = [config.NoiseScale, (float)(config.LengthScale / SpeedRange.ClampSpoken(chunk.Speed)), config.NoiseW];
        return new PiperInputs(ids, scales, config.NumSpeakers > 1 ? _speakerId : null);
    }

    public void Dispose() => _model.Session.Dispose();

    /// <summary>Float audio to 16-bit PCM, scaled so the peak reaches full scale (Piper: <c>32767 / max(0.01, peak)</c>), then silence.</summary>
    internal static short[] ToPcm(ReadOnlySpan<float> audio, int silenceSamples)
    {
        var peak = 0f;
        foreach (var sample in audio)
        {
            peak = Math.Max(peak, Math.Abs(sample));
        }

        var scale = 32767f / Math.Max(0.01f, peak);
        var pcm = new short[audio.Length + silenceSamples];
        for (var i = 0; i < audio.Length; i++)
        {
            pcm[i] = (short)Math.Clamp(audio[i] * scale, -32768f, 32767f);
        }

        return pcm;
    }

    /// <summary>
    /// Raised-cosine fade over <paramref name="samples"/> at each end of a chunk's voiced audio: a
    /// chunk cut inside a sentence (<c>Text:FirstChunkChars</c>) then joins the next without a click,
    /// whatever the waveform was doing at the cut. Voices start and end in silence, so a whole
    /// sentence sounds the same.
    /// </summary>
    internal static void FadeEnds(Span<short> pcm, int samples)
    {
        var n = Math.Min(samples, pcm.Length / 2);
        for (var i = 0; i < n; i++)
        {
            var gain = 0.5 - (0.5 * Math.Cos(Math.PI * i / n));
            pcm[i] = (short)Math.Round(pcm[i] * gain);
            pcm[^(i + 1)] = (short)Math.Round(pcm[^(i + 1)] * gain);
        }
    }

    /// <summary>What the speakers of one model share.</summary>
    private sealed class PiperModel(PiperConfig config, ModelSession session, PiperPhonemizer phonemizer, double sentenceSilenceSeconds)
    {
        private readonly ConcurrentDictionary<string, int> _unknown = new(StringComparer.Ordinal);

        public PiperConfig Config => config;

        public ModelSession Session => session;

        public RunOptions RunOptions => session.RunOptions;

        public string[] OutputNames { get; } = [session.Session.OutputMetadata.Keys.First()];

        public int SentenceSilenceSamples { get; } = (int)(config.SampleRate * sentenceSilenceSeconds);

        /// <summary>2 ms of fade at each end of a chunk.</summary>
        public int FadeSamples { get; } = config.SampleRate / 500;

        public IReadOnlyDictionary<string, int> Unknown => _unknown;

        public long[] PhonemeIds(string text, out bool speakable)
        {
            var unknown = new List<string>();
            var phonemes = phonemizer.Phonemize(text);
            var ids = phonemizer.ToIds(phonemes, unknown);
            speakable = phonemes.Any(p => !unknown.Contains(p) && !(p.Length == 1 && (char.IsPunctuation(p[0]) || char.IsWhiteSpace(p[0]))));
            foreach (var phoneme in unknown)
            {
                _unknown.AddOrUpdate(phoneme, 1, (_, count) => count + 1);
            }

            return ids;
        }
    }
}
