using System.Diagnostics;
using EdgeVoice.Inference.Native;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Inference;

/// <summary>
/// Where every ONNX Runtime session in EdgeVoice is created. It tries the configured providers in
/// order (by default TensorRT, then CUDA, then CPU); when a provider's library is missing or the
/// session cannot be built with it, it logs why and tries the next, and reports the one in use.
/// </summary>
internal sealed partial class SessionFactory(IOptions<InferenceOptions> options, ILogger<SessionFactory> logger)
{
    private readonly InferenceOptions _options = options.Value;
    private readonly OrtLoggingLevel _logLevel = InferenceOptions.ParseLogLevel(options.Value.LogLevel) ?? OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
    private string? _engineDirectory;

    /// <summary>One store of pre-packed weights for every CPU session of the process (it lives as long as they may).</summary>
    private static readonly Lazy<PrePackedWeightsContainer> SharedPrepackedWeights = new(() => new PrePackedWeightsContainer());

    private static readonly Lock SharedArenaLock = new();
    private static bool s_sharedArenaRegistered;

    /// <summary>
    /// Registers the process-wide CPU arena once, with the first factory's block size
    /// (<see cref="InferenceOptions.SharedArena"/>, <see cref="InferenceOptions.ArenaBlockMb"/>).
    /// </summary>
    private static void RegisterSharedArena(int blockMb)
    {
        lock (SharedArenaLock)
        {
            if (s_sharedArenaRegistered)
            {
                return;
            }

            // No cap; ONNX Runtime's strategy of growing by powers of two past the first block (growing by exactly
            // what is asked for left more, smaller, unjoinable blocks: +70 MB on the Piper benchmark); other settings default.
            using var arena = new OrtArenaCfg(0, 0, ArenaFirstBlockBytes(blockMb), -1);
            using var memory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCPU, OrtAllocatorType.ArenaAllocator, 0, OrtMemType.Default);
            OrtEnv.Instance().CreateAndRegisterAllocator(memory, arena);
            s_sharedArenaRegistered = true;
        }
    }

    /// <summary>The arena's first block in bytes for <see cref="InferenceOptions.ArenaBlockMb"/> (-1: ONNX Runtime's default).</summary>
    internal static int ArenaFirstBlockBytes(int blockMb) => blockMb > 0 ? blockMb << 20 : -1;

    public static string OnnxRuntimeVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>Whether graphs that hold the same weights get one copy of them (<see cref="InferenceOptions.ShareWeights"/>).</summary>
    public bool SharesWeights => _options.ShareWeights;

    /// <summary>A session of the model at <paramref name="modelPath"/>; on the CPU with the weights it shares with other graphs handed in from <paramref name="shared"/>.</summary>
    public ModelSession Create(string modelPath, SharedWeights? shared = null)
    {
        if (!File.Exists(modelPath))
        {
            throw new InferenceUnavailableException($"Model '{modelPath}' does not exist.");
        }

        NativeRuntime.Configure(_options.NativeLibraryPath);
        var model = Path.GetFileName(modelPath);
        var available = OrtEnv.Instance().GetAvailableProviders();
        var fallbacks = new List<string>();
        foreach (var provider in _options.ProviderChain)
        {
            var name = provider.Name();
            if (!available.Contains(OrtName(provider)))
            {
                // Expected on the CPU build the package carries: say so once, quietly.
                var missing = $"not in this ONNX Runtime build (it has {string.Join(", ", available)}); " +
                              "Inference:NativeLibraryPath can point at a build with it";
                fallbacks.Add($"{name}: {missing}");
                Log.ProviderNotBuiltIn(logger, model, name, missing);
                continue;
            }

            var watch = Stopwatch.StartNew();
            try
            {
                _engineDirectory = null;
                using var sessionOptions = BuildOptions(provider, modelPath);
                if (provider == ExecutionProvider.Cpu && shared?.AddTo(sessionOptions, modelPath) is > 0 and var count)
                {
                    // A pre-packed form would be a second copy of the weights just handed in once.
                    sessionOptions.AddSessionConfigEntry("session.disable_prepacking", _options.PrepackSharedWeights ? "0" : "1");
                    Log.SharedWeights(logger, model, count, shared.Bytes / (1024.0 * 1024.0));
                }

                var cached = _engineDirectory is { } engines && EngineCache.HasEngine(engines);
                var session = provider == ExecutionProvider.Cpu && _options.SharePrepackedWeights
                    ? new InferenceSession(modelPath, sessionOptions, SharedPrepackedWeights.Value)
                    : new InferenceSession(modelPath, sessionOptions);
                NativeHeap.Trim();
                var elapsed = watch.Elapsed;
                Log.Created(logger, model, name, elapsed.TotalMilliseconds);
                return new ModelSession(session, modelPath, provider, fallbacks, elapsed)
                {
                    RunOptions = MakeRunOptions(provider),
                    EngineCache = provider != ExecutionProvider.TensorRt ? "none" : cached ? "hit" : "miss",
                    DeviceId = _options.CudaDeviceId,
                };
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                var reason = Reason(e.Message);
                fallbacks.Add($"{name}: {reason}");
                Log.ProviderSkipped(logger, model, name, reason);
            }
        }

        throw new InferenceUnavailableException(
            $"No execution provider could load '{modelPath}' ({string.Join("; ", fallbacks)}).");
    }

    /// <summary>
    /// The loader's own sentence from ONNX Runtime's message: <c>libonnxruntime_providers_cuda.so cannot be loaded:
    /// libcudart.so.13: cannot open shared object file: No such file or directory</c>, without the source location.
    /// </summary>
    internal static string Reason(string message)
    {
        var load = LoadFailure().Match(message);
        if (load.Success)
        {
            return $"{Path.GetFileName(load.Groups["library"].Value)} cannot be loaded: {load.Groups["error"].Value.Trim()}";
        }

        var status = OrtStatus().Match(message);
        return (status.Success ? status.Groups["text"].Value : message).Trim();
    }

    [GeneratedRegex(@"Failed to load library (?<library>\S+) with error: (?<error>.+)", RegexOptions.Singleline)]
    private static partial Regex LoadFailure();

    [GeneratedRegex(@"\[ONNXRuntimeError\] : \d+ : \w+ : (?<text>.+)", RegexOptions.Singleline)]
    private static partial Regex OrtStatus();

    private static string OrtName(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.TensorRt => "TensorrtExecutionProvider",
        ExecutionProvider.Cuda => "CUDAExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    private SessionOptions BuildOptions(ExecutionProvider provider, string modelPath)
    {
        // The process's own messages (the shared arena's growth among them) follow the same level as the sessions'.
        var environment = OrtEnv.Instance();
        if (environment.EnvLogLevel != _logLevel)
        {
            environment.EnvLogLevel = _logLevel;
        }

        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = _logLevel,
        };
        try
        {
            if (_options.IntraOpThreads > 0)
            {
                sessionOptions.IntraOpNumThreads = _options.IntraOpThreads;
            }

            ApplyCpuLevers(sessionOptions);

            switch (provider)
            {
                case ExecutionProvider.TensorRt:
                    // Creating the provider options fails at once on a build without TensorRT,
                    // before the model is hashed for its engine cache.
                    using (var trt = new OrtTensorRTProviderOptions())
                    {
                        trt.UpdateOptions(TensorRtKeys(modelPath));
                        sessionOptions.AppendExecutionProvider_Tensorrt(trt);
                    }

                    break;
                case ExecutionProvider.Cuda:
                    using (var cuda = new OrtCUDAProviderOptions())
                    {
                        cuda.UpdateOptions(ProviderKeys.Cuda(_options.CudaDeviceId));
                        sessionOptions.AppendExecutionProvider_CUDA(cuda);
                    }

                    break;
            }

            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// ONNX Runtime's CPU levers as configured (docs/BENCHMARKS.md records what each changed):
    /// the memory arena, the memory pattern planner and the spinning of operator threads.
    /// </summary>
    private void ApplyCpuLevers(SessionOptions sessionOptions)
    {
        sessionOptions.EnableCpuMemArena = _options.CpuMemoryArena;
        if (_options.CpuMemoryArena && _options.SharedArena)
        {
            RegisterSharedArena(_options.ArenaBlockMb);
            sessionOptions.AddSessionConfigEntry("session.use_env_allocators", "1");
        }

        sessionOptions.EnableMemoryPattern = _options.MemoryPattern;
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.AllowSpinning ? "1" : "0");
        foreach (var (key, value) in _options.SessionConfig)
        {
            sessionOptions.AddSessionConfigEntry(key, value);
        }
    }

    /// <summary>The run options of a session: with the CPU arena's shrinkage after each run when configured.</summary>
    private RunOptions MakeRunOptions(ExecutionProvider provider)
    {
        var run = new RunOptions();
        if (provider == ExecutionProvider.Cpu && _options.ArenaShrinkage && _options.CpuMemoryArena)
        {
            run.AddRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
        }

        return run;
    }

    /// <summary>Whether sessions can use TensorRT here; if not, a sentence saying what is missing.</summary>
    public bool CanUseTensorRt(out string reason)
    {
        NativeRuntime.Configure(_options.NativeLibraryPath);
        reason = !OrtEnv.Instance().GetAvailableProviders().Contains(OrtName(ExecutionProvider.TensorRt))
            ? "this ONNX Runtime build has no TensorRT execution provider (set Inference:NativeLibraryPath to a TensorRT-enabled libonnxruntime.so)"
            : Accelerator.TensorRtVersion is null
                ? "TensorRT (libnvinfer) is not installed"
                : "";
        return reason.Length == 0;
    }

    /// <summary>What a TensorRT engine for this model would depend on here, with the configured options.</summary>
    public EngineKey EngineKeyFor(string modelPath)
    {
        var draft = ProviderKeys.TensorRt(_options.TensorRt, _options.CudaDeviceId, engineCacheDirectory: string.Empty, timingCacheDirectory: string.Empty);
        return new EngineKey(
            EngineCache.Sha256Of(modelPath),
            OnnxRuntimeVersion,
            Accelerator.TensorRtVersion ?? "unknown",
            Accelerator.GpuName ?? "unknown",
            EngineKey.OptionsText(draft));
    }

    private Dictionary<string, string> TensorRtKeys(string modelPath)
    {
        var trt = _options.TensorRt;
        var key = EngineKeyFor(modelPath);
        var engines = EngineCache.DirectoryFor(trt.EngineCacheDirectory, modelPath, key);
        _engineDirectory = engines;
        var timing = EngineCache.TimingDirectoryFor(trt.EngineCacheDirectory, key);
        var model = Path.GetFileName(modelPath);
        Log.EngineCache(logger, model, engines);
        return ProviderKeys.TensorRt(trt, _options.CudaDeviceId, engines, timing);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Model {Model} loaded on {Provider} in {Milliseconds:F0} ms")]
        public static partial void Created(ILogger logger, string model, string provider, double milliseconds);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Model {Model}: {Provider} cannot be used ({Reason}); trying the next provider")]
        public static partial void ProviderSkipped(ILogger logger, string model, string provider, string reason);

        [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Model {Model}: {Provider} is {Reason}")]
        public static partial void ProviderNotBuiltIn(ILogger logger, string model, string provider, string reason);

        [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Model {Model}: {Count} weights ({Megabytes:F1} MB) held once with the other graphs that have them")]
        public static partial void SharedWeights(ILogger logger, string model, int count, double megabytes);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Model {Model}: TensorRT engine cache in {Directory}")]
        public static partial void EngineCache(ILogger logger, string model, string directory);
    }
}
