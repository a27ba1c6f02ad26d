using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Inference;

/// <summary>An ONNX Runtime session together with how it was made: the provider in use and why others were passed over.</summary>
internal sealed class ModelSession(InferenceSession session, string modelPath, ExecutionProvider provider, IReadOnlyList<string> fallbacks, TimeSpan loadTime) : IDisposable
{
    public string ModelPath => modelPath;

    public InferenceSession Session => session;

    public ExecutionProvider Provider => provider;

    /// <summary>One line per provider tried before <see cref="Provider"/>: which, and why it could not be used.</summary>
    public IReadOnlyList<string> Fallbacks => fallbacks;

    public TimeSpan LoadTime => loadTime;

    /// <summary><c>hit</c> when TensorRT found a built engine in the model's cache folder, <c>miss</c> when it built one, <c>none</c> on other providers.</summary>
    public string EngineCache { get; init; } = "none";

    /// <summary>The CUDA device the session runs on (<c>Inference:CudaDeviceId</c>); meaningful on CUDA and TensorRT.</summary>
    public int DeviceId { get; init; }

    public IEnumerable<string> InputNames => session.InputMetadata.Keys;

    /// <summary>The options every run of this session uses (the arena's shrinkage after each run, when configured).</summary>
    public RunOptions RunOptions { get; init; } = new();

    public void Dispose()
    {
        session.Dispose();
        RunOptions.Dispose();
    }
}
