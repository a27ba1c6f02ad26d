using EdgeVoice.Inference;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>How one chunk's token generation ended.</summary>
internal sealed class DecodeReport
{
    public bool EndOfSpeech { get; set; }

    public bool LimitReached { get; set; }

    public int Limit { get; set; }

    public int Steps { get; set; }

    public int Bucket { get; set; }

    public int Grows { get; set; }

    public TimeSpan Encoder { get; set; }

    public TimeSpan StepTime { get; set; }

    /// <summary>Time the host spent per chunk between steps: binding, copying the step inputs, reading the top-k, sampling.</summary>
    public TimeSpan HostTime { get; set; }
}

/// <summary>Turns a chunk's phones into semantic tokens, one at a time; one kind per bundle layout.</summary>
internal interface ITokenDecoder : IDisposable
{
    /// <summary>Width of the BERT features the GPT takes.</summary>
    int BertWidth { get; }

    /// <summary>The most tokens a chunk with <paramref name="targetPhones"/> phones may have: 50 + 10 a phone, at most MaxTokens.</summary>
    int StepLimit(int targetPhones);

    /// <summary>The chunk's semantic tokens, each as soon as it is made; end-of-speech is not returned.</summary>
    IEnumerable<long> Generate(long[] target, float[]? targetBert, SpeakerFeatures speaker, Random random, DecodeReport report, CancellationToken cancellationToken);
}

/// <summary>
/// The autoregressive loop of the minimal layout: <c>gpt_encoder</c> once per chunk, then one
/// <c>gpt_step</c> per token with its inputs and outputs bound once to buffers that live as long as
/// the voice (IOBinding; the caches alternate between two pairs), the next token chosen on the host
/// by <see cref="TokenSampler"/>, until end-of-speech or the chunk's step limit. Where each tensor
/// lives follows the step session's <see cref="BindingPlan"/>: on CUDA and TensorRT the caches and the
/// step inputs stay in device memory and only the top-k values and indices come back each step.
/// </summary>
internal sealed class SemanticDecoder : ITokenDecoder
{
    private static readonly string[] StepInputs = ["samples", "k_cache", "v_cache", "x_len", "y_len", "idx"];
    private static readonly string[] StepOutputs = ["topk_values", "topk_indices", "k_cache_new", "v_cache_new"];
    private static readonly string[] EncoderOutputs = ["topk_values", "topk_indices", "k_cache", "v_cache"];

    private readonly GptSoVitsOptions _options;
    private readonly InferenceSession _encoder;
    private readonly InferenceSession _step;
    private readonly int[] _buckets;
    private readonly IKvCache _cache;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _sample = new long[1], _xLen = new long[1], _yLen = new long[1], _index = new long[1];
    private readonly TensorMemory? _memory;
    private readonly DeviceBuffer? _stepInputs;
    private readonly long[] _stepHost = new long[4];
    private readonly long[] _topIds;
    private readonly Array _topValues;
    private readonly List<OrtValue> _bound = [];

    public SemanticDecoder(GptSoVitsBundle bundle, GptSoVitsOptions options)
        : this(bundle, options, null, null)
    {
    }

    /// <summary>
    /// A decoder whose step tensors follow <paramref name="plan"/> (by default the step session's provider's)
    /// in <paramref name="memory"/> (by default the provider's device); tests pass a plan with host-staged memory.
    /// </summary>
    public SemanticDecoder(GptSoVitsBundle bundle, GptSoVitsOptions options, BindingPlan? plan, TensorMemory? memory)
    {
        _options = options;
        _encoder = bundle.Graph(GptSoVitsBundle.GptEncoder, ["phoneme_ids", "prompts"], EncoderOutputs);
        _step = bundle.Graph(GptSoVitsBundle.GptStep, StepInputs, StepOutputs);
        var stepPath = Path.Combine(bundle.Folder, GptSoVitsBundle.GptStep);

        var keys = _step.InputMetadata["k_cache"];
        var dims = keys.Dimensions;
        if (dims.Length != 4 || dims[0] <= 0 || dims[3] <= 0)
        {
            throw new VoiceLoadException(stepPath, $"k_cache is [{string.Join(", ", dims)}]; [layers, 1, length, width] with fixed layers and width expected");
        }

        Layers = dims[0];
        Width = dims[3];
        FixedLength = dims[2] > 0 ? dims[2] : null;
        _buckets = FixedLength is { } length ? [length] : options.Buckets();
        BertWidth = _encoder.InputMetadata.TryGetValue("bert_feature", out var bert) && bert.Dimensions.Length == 3 && bert.Dimensions[1] > 0 ? bert.Dimensions[1] : 1024;
        var stepSession = bundle.Session(GptSoVitsBundle.GptStep);
        Plan = plan ?? BindingPlan.For(stepSession.Provider);
        _memory = Plan.Staged ? memory ?? TensorMemory.For(Plan, stepSession.DeviceId) : null;
        _cache = IKvCache.For(keys, Layers, Width, _memory);

        var topK = _step.OutputMetadata["topk_values"].Dimensions is [_, > 0 and var k] ? k : 50;
        _topIds = new long[topK];
        _topValues = _step.OutputMetadata["topk_values"].ElementDataType == TensorElementType.Float16 ? new Float16[topK] : new float[topK];
        _binding = _step.CreateIoBinding();
        if (_memory is { } device)
        {
            // One allocation for the four step inputs, written by one copy a step: samples, x_len, y_len, idx.
            _stepInputs = device.Allocate(_stepHost.Length * sizeof(long));
            Bind(true, "samples", device.Tensor(_stepInputs.Pointer, sizeof(long), TensorElementType.Int64, [1, 1]));
            Bind(true, "x_len", device.Tensor(_stepInputs.Pointer + sizeof(long), sizeof(long), TensorElementType.Int64, [1]));
            Bind(true, "y_len", device.Tensor(_stepInputs.Pointer + (2 * sizeof(long)), sizeof(long), TensorElementType.Int64, [1]));
            Bind(true, "idx", device.Tensor(_stepInputs.Pointer + (3 * sizeof(long)), sizeof(long), TensorElementType.Int64, [1]));
        }
        else
        {
            Bind(true, "samples", OrtValue.CreateTensorValueFromMemory(_sample, [1, 1]));
            Bind(true, "x_len", OrtValue.CreateTensorValueFromMemory(_xLen, [1]));
            Bind(true, "y_len", OrtValue.CreateTensorValueFromMemory(_yLen, [1]));
            Bind(true, "idx", OrtValue.CreateTensorValueFromMemory(_index, [1]));
        }

        // The top-k is what the host samples from: bound to host arrays on every provider.
        Bind(false, "topk_indices", OrtValue.CreateTensorValueFromMemory(_topIds, [1, topK]));
        Bind(false, "topk_values", _topValues is Float16[] half
            ? OrtValue.CreateTensorValueFromMemory(half, [1, topK])
            : OrtValue.CreateTensorValueFromMemory((float[])_topValues, [1, topK]));
    }

    public int Layers { get; }

    /// <summary>Which step tensor lives where.</summary>
    public BindingPlan Plan { get; }

    /// <summary>Whether the caches live in device (or host-staged) memory rather than bound host arrays (for tests).</summary>
    public bool CacheStaged => _cache.Staged;

    public int Width { get; }

    /// <summary>The cache length when the graph fixes it (a TensorRT export); null when it is dynamic and buckets apply.</summary>
    public int? FixedLength { get; }

    public int BertWidth { get; }

    /// <summary>Rows of the current cache (for tests).</summary>
    public int CacheRows => _cache.Rows;

    public IReadOnlyList<int> Buckets => _buckets;

    public int StepLimit(int targetPhones) => _options.StepLimit(targetPhones);

    public IEnumerable<long> Generate(long[] target, float[]? targetBert, SpeakerFeatures speaker, Random random, DecodeReport report, CancellationToken cancellationToken) =>
        Generate([.. speaker.ReferencePhoneIds, .. target], target.Length, speaker.Prompt, speaker.BertFor(BertWidth, target.Length, targetBert), random, report, cancellationToken);

    /// <summary>
    /// The semantic tokens of one chunk, each as soon as it is sampled. <paramref name="phoneIds"/> is the
    /// reference's phones then the chunk's, <paramref name="bert"/> their features [width, phones],
    /// <paramref name="prompt"/> the reference's semantic tokens. End-of-speech is not returned.
    /// </summary>
    public IEnumerable<long> Generate(long[] phoneIds, int targetPhones, long[] prompt, float[] bert, Random random, DecodeReport report, CancellationToken cancellationToken)
    {
        var x = phoneIds.Length;
        var y = prompt.Length;
        var largest = _buckets[^1];
        if (x + y + 1 >= largest)
        {
            throw new SynthesisException($"{x} phones and {y} prompt tokens do not fit the largest KV cache ({largest} rows); use a shorter reference or a larger GptSoVits:CacheBuckets");
        }

        var limit = StepLimit(targetPhones);
        report.Limit = limit;
        var sampler = new TokenSampler(_options, random);
        var said = new bool[TokenSampler.Eos + 1];
        foreach (var token in prompt)
        {
            if ((ulong)token < (ulong)said.Length)
            {
                said[token] = true;
            }
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        long next;
        bool stop;
        using (var outputs = RunEncoder(phoneIds, prompt, bert))
        {
            // Start in the smallest bucket that holds the prompt and a typical chunk (about 3 tokens a phone).
            _cache.Reset(BucketFor(x + y + Math.Min(limit, (3 * targetPhones) + 16) + 1) ?? largest);
            _cache.Fill(outputs[2], outputs[3], x + y);
            next = sampler.Next(TypedTensor.ReadFloats(outputs[0]), TypedTensor.ReadLongs(outputs[1]), said, 0, out stop);
        }

        report.Encoder = watch.Elapsed;
        report.Bucket = _cache.Rows;
        if (stop)
        {
            report.EndOfSpeech = true;
            yield break;
        }

        yield return next;
        said[next] = true;
        var count = 1;
        _xLen[0] = x;
        _yLen[0] = y;
        var values = new float[_topIds.Length];
        for (var i = 0; ; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (count >= limit)
            {
                report.LimitReached = true;
                yield break;
            }

            var row = x + y + i;
            if (row >= _cache.Rows)
            {
                if (BucketFor(row + 1) is not { } bigger)
                {
                    report.LimitReached = true;
                    yield break;
                }

                _cache.Grow(bigger);
                report.Grows++;
                report.Bucket = bigger;
            }

            var host = System.Diagnostics.Stopwatch.GetTimestamp();
            _sample[0] = next;
            _index[0] = i;
            if (_stepInputs is { } inputs)
            {
                (_stepHost[0], _stepHost[1], _stepHost[2], _stepHost[3]) = (next, x, y, i);
                inputs.Upload<long>(_stepHost);
            }

            _cache.Bind(_binding);
            report.HostTime += System.Diagnostics.Stopwatch.GetElapsedTime(host);
            watch.Restart();
            _step.RunWithBinding(_runOptions, _binding);
            report.StepTime += watch.Elapsed;
            report.Steps++;

            host = System.Diagnostics.Stopwatch.GetTimestamp();
            _cache.Swap();
            ReadTopValues(values);
            next = sampler.Next(values, _topIds, said, count, out stop);
            report.HostTime += System.Diagnostics.Stopwatch.GetElapsedTime(host);
            if (stop)
            {
                report.EndOfSpeech = true;
                yield break;
            }

            yield return next;
            said[next] = true;
            count++;
        }
    }

    public void Dispose()
    {
        _binding.Dispose();
        _cache.Dispose();
        foreach (var value in _bound)
        {
            value.Dispose();
        }

        _stepInputs?.Dispose();
        _memory?.Dispose();

        _runOptions.Dispose();
    }

    private int? BucketFor(int rows)
    {
        foreach (var bucket in _buckets)
        {
            if (bucket >= rows)
            {
                return bucket;
            }
        }

        return null;
    }

    private IDisposableReadOnlyCollection<OrtValue> RunEncoder(long[] phoneIds, long[] prompt, float[] bert) =>
        TypedTensor.RunDeclared(_encoder, _runOptions, (name, metadata) => name switch
        {
            "phoneme_ids" => TypedTensor.Longs(metadata, phoneIds, [1, phoneIds.Length], name),
            "phoneme_ids_len" => TypedTensor.Longs(metadata, [phoneIds.Length], [1], name),
            "prompts" => TypedTensor.Longs(metadata, prompt, [1, prompt.Length], name),
            "bert_feature" => TypedTensor.Floats(metadata, bert, [1, BertWidth, phoneIds.Length], name),
            _ => throw new SynthesisException($"gpt_encoder has an input '{name}' that this engine does not know"),
        }, EncoderOutputs);

    private void ReadTopValues(float[] values)
    {
        if (_topValues is Float16[] half)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)half[i];
            }
        }
        else
        {
            ((float[])_topValues).CopyTo(values, 0);
        }
    }

    private void Bind(bool input, string name, OrtValue value)
    {
        _bound.Add(value);
        if (input)
        {
            _binding.BindInput(name, value);
        }
        else
        {
            _binding.BindOutput(name, value);
        }
    }
}
