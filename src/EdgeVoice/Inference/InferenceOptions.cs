using Microsoft.ML.OnnxRuntime;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Inference;

/// <summary>How ONNX Runtime sessions are made (configuration section <c>Inference</c>).</summary>
internal sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>Execution providers to try, in order, comma-separated: <c>tensorrt</c>, <c>cuda</c>, <c>cpu</c>.</summary>
    public string Providers { get; set; } = "tensorrt,cuda,cpu";

    /// <summary>Threads for one operator on the CPU; 0 lets ONNX Runtime choose (one per core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// A TensorRT-enabled <c>libonnxruntime.so</c> to use instead of the CPU build the package carries
    /// (on a Jetson, the one built for JetPack). Empty: the package's own.
    /// </summary>
    public string? NativeLibraryPath { get; set; }

    /// <summary>
    /// CPU provider: sessions share one store of pre-packed weights (ONNX Runtime's
    /// <c>PrePackedWeightsContainer</c>), so graphs with the same weights, such as a GPT-SoVITS
    /// bundle's gpt_encoder and gpt_step, keep one packed copy instead of one each.
    /// </summary>
    public bool SharePrepackedWeights { get; set; } = true;

    /// <summary>
    /// CPU provider: graphs of one voice that hold the same weights (a GPT-SoVITS bundle's gpt_encoder
    /// and gpt_step) get one copy of them, handed to each session (<see cref="SharedWeights"/>).
    /// </summary>
    public bool ShareWeights { get; set; } = true;

    /// <summary>
    /// CPU provider: the shared weights are also pre-packed for the matrix kernels (one packed copy
    /// for all the graphs, through the shared pre-packed store). Off by default: the packed copy is as
    /// large as the weights, and the GPT step multiplies one row at a time, which packing does not speed up.
    /// </summary>
    public bool PrepackSharedWeights { get; set; }

    /// <summary>CPU provider: ONNX Runtime's memory arena (<c>false</c> frees each run's activations when it ends, at some cost in speed).</summary>
    public bool CpuMemoryArena { get; set; } = true;

    /// <summary>
    /// CPU provider: ONNX Runtime's memory pattern planner (plans one block per input shape). Off by
    /// default: the voices' inputs change shape with every chunk, so the plans are seldom reused, and
    /// each one's block is as large as all the activations that are ever alive together.
    /// </summary>
    public bool MemoryPattern { get; set; }

    /// <summary>
    /// CPU provider: after each run the memory arena hands back to the system the blocks that run
    /// left free (run option <c>memory.enable_memory_arena_shrinkage</c>), so a long chunk's
    /// activations are not kept for the rest of the process's life.
    /// </summary>
    public bool ArenaShrinkage { get; set; }

    /// <summary>
    /// CPU provider: every session of the process draws its activations from one memory arena instead
    /// of one arena per session: graphs that run one after the other (a GPT-SoVITS voice's encoder,
    /// steps and decoder, or two voices) reuse the same memory rather than each keeping its own peak.
    /// </summary>
    public bool SharedArena { get; set; } = true;

    /// <summary>
    /// CPU provider, shared arena: the size in MB of the first block the arena reserves. It is address space:
    /// its pages count in memory only once a run uses them. Every run lays its activations out from the start
    /// of this one block, so a long text uses the pages the warm-up used. 0 is ONNX Runtime's default: 1 MB,
    /// then a block twice as large each time one is short; chunks of different lengths then land in
    /// different blocks, and memory grew by up to 10 MB over a long text. A run that needs more than the
    /// block still gets another one.
    /// </summary>
    public int ArenaBlockMb { get; set; } = 256;

    /// <summary>
    /// How much ONNX Runtime writes to standard error: <c>error</c> (the default), <c>warning</c>, <c>info</c> or
    /// <c>verbose</c> (how the memory arena grows, which provider runs each node).
    /// </summary>
    public string LogLevel { get; set; } = "error";

    /// <summary>ONNX Runtime's severity for <see cref="LogLevel"/>; null for a name it does not know.</summary>
    public static OrtLoggingLevel? ParseLogLevel(string name) => name.Trim().ToLowerInvariant() switch
    {
        "error" => OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        "warning" => OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
        "info" => OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO,
        "verbose" => OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE,
        _ => null,
    };

    /// <summary>
    /// Further ONNX Runtime session configuration entries, set on every session as given (for example
    /// <c>session.set_denormal_as_zero</c> = <c>1</c>); later than, and so above, the levers here.
    /// </summary>
    public Dictionary<string, string> SessionConfig { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// CPU provider: the operator threads spin between runs instead of sleeping (<c>session.intra_op.allow_spinning</c>).
    /// Off by default: between the chunks of an utterance spinning threads burn the cores (and the power)
    /// that other work on the device needs; a device with cores to spare may turn it on for a little less latency.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>CUDA device used by the CUDA and TensorRT providers.</summary>
    public int CudaDeviceId { get; set; }

    public TensorRtOptions TensorRt { get; set; } = new();

    public IReadOnlyList<ExecutionProvider> ProviderChain =>
        [.. Providers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => ExecutionProviders.TryParse(p, out var provider) ? provider : throw new FormatException(p))];
}

/// <summary>TensorRT settings, mapped to ONNX Runtime's <c>trt_*</c> keys by <see cref="ProviderKeys"/> only.</summary>
internal sealed class TensorRtOptions
{
    /// <summary>Lets TensorRT build FP16 kernels (on a Jetson AGX Orin, roughly half the latency of FP32).</summary>
    public bool Fp16 { get; set; } = true;

    /// <summary>Lets TensorRT build INT8 kernels; needs <see cref="Int8CalibrationTable"/>.</summary>
    public bool Int8 { get; set; }

    /// <summary>INT8 calibration table file (required with <see cref="Int8"/>).</summary>
    public string? Int8CalibrationTable { get; set; }

    /// <summary>The table is TensorRT's own format rather than ONNX Runtime's.</summary>
    public bool Int8UseNativeCalibrationTable { get; set; }

    /// <summary>Root of the engine caches; each model gets a folder keyed by what makes its engine valid.</summary>
    public string EngineCacheDirectory { get; set; } = "engines";

    /// <summary>Keeps TensorRT's kernel timings beside the engines, so a rebuild after an upgrade is quicker.</summary>
    public bool TimingCache { get; set; } = true;

    /// <summary>Most GPU memory TensorRT may use while building, in bytes.</summary>
    public long WorkspaceBytes { get; set; } = 1L << 30;

    /// <summary>0 (fast build) to 5 (slow build, fastest engine); TensorRT's default is 3.</summary>
    public int BuilderOptimizationLevel { get; set; } = 3;

    /// <summary>Deep Learning Accelerator core on a Jetson (0 or 1); empty leaves the DLA unused.</summary>
    public int? DlaCore { get; set; }

    /// <summary>Shape profiles, as ONNX Runtime writes them: <c>input:1x1,input_lengths:1</c>.</summary>
    public string? ProfileMinShapes { get; set; }

    /// <summary>The shapes the engine is tuned for, same form as <see cref="ProfileMinShapes"/>.</summary>
    public string? ProfileOptShapes { get; set; }

    /// <summary>The largest shapes the engine accepts, same form as <see cref="ProfileMinShapes"/>.</summary>
    public string? ProfileMaxShapes { get; set; }

    /// <summary>Writes an EPContext model beside the engine, so later starts skip the ONNX parse.</summary>
    public bool DumpEpContext { get; set; }
}

internal sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        var failures = new List<string>();
        var names = options.Providers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            failures.Add("Inference:Providers must name at least one of tensorrt, cuda, cpu.");
        }

        foreach (var provider in names.Where(p => !ExecutionProviders.TryParse(p, out _)))
        {
            failures.Add($"Inference:Providers names '{provider}'; the providers are tensorrt, cuda and cpu.");
        }

        if (options.IntraOpThreads is < 0 or > 256)
        {
            failures.Add($"Inference:IntraOpThreads must be between 0 (automatic) and 256 (got {options.IntraOpThreads}).");
        }

        if (options.ArenaBlockMb is < 0 or > 2047)
        {
            failures.Add($"Inference:ArenaBlockMb must be between 0 (ONNX Runtime's default) and 2047 (got {options.ArenaBlockMb}).");
        }

        if (InferenceOptions.ParseLogLevel(options.LogLevel) is null)
        {
            failures.Add($"Inference:LogLevel is '{options.LogLevel}'; the levels are error, warning, info and verbose.");
        }

        if (options.CudaDeviceId < 0)
        {
            failures.Add($"Inference:CudaDeviceId must be 0 or more (got {options.CudaDeviceId}).");
        }

        var trt = options.TensorRt;
        if (trt.Int8 && string.IsNullOrWhiteSpace(trt.Int8CalibrationTable))
        {
            failures.Add("Inference:TensorRt:Int8 needs Inference:TensorRt:Int8CalibrationTable.");
        }

        if (trt.BuilderOptimizationLevel is < 0 or > 5)
        {
            failures.Add($"Inference:TensorRt:BuilderOptimizationLevel must be between 0 and 5 (got {trt.BuilderOptimizationLevel}).");
        }

        if (trt.WorkspaceBytes < 1 << 20)
        {
            failures.Add($"Inference:TensorRt:WorkspaceBytes must be at least 1048576 (got {trt.WorkspaceBytes}).");
        }

        if (trt.DlaCore is < 0 or > 1)
        {
            failures.Add($"Inference:TensorRt:DlaCore must be 0 or 1 (got {trt.DlaCore}).");
        }

        var profiles = new[] { trt.ProfileMinShapes, trt.ProfileOptShapes, trt.ProfileMaxShapes };
        if (profiles.Any(string.IsNullOrWhiteSpace) && !profiles.All(string.IsNullOrWhiteSpace))
        {
            failures.Add("Inference:TensorRt:ProfileMinShapes, ProfileOptShapes and ProfileMaxShapes go together: set all three or none.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
