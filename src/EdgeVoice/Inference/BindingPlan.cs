namespace EdgeVoice.Inference;

/// <summary>
/// Which tensor of a graph run lives where, for the provider the session runs on. On CUDA and TensorRT
/// the GPT-SoVITS step's KV caches, their ping-pong pair and its small inputs stay in device memory, and
/// only the top-k values and indices come back to the host each step; on the CPU every tensor is host
/// memory bound once. Graphs whose outputs vary in size per run (Piper, SoVITS, the encoder) leave their
/// outputs to ONNX Runtime, which allocates them on the host: one copy from the device, none after.
/// </summary>
internal sealed class BindingPlan
{
    /// <summary>The step's caches as inputs and outputs (the ping-pong pair).</summary>
    public static readonly IReadOnlyList<string> Caches = ["k_cache", "v_cache", "k_cache_new", "v_cache_new"];

    /// <summary>The step's inputs chosen on the host each step: the last token and the positions.</summary>
    public static readonly IReadOnlyList<string> StepInputs = ["samples", "x_len", "y_len", "idx"];

    /// <summary>What the host reads each step to pick the next token.</summary>
    public static readonly IReadOnlyList<string> TopK = ["topk_values", "topk_indices"];

    private BindingPlan(ExecutionProvider provider, TensorHome device)
    {
        Provider = provider;
        Device = device;
    }

    public ExecutionProvider Provider { get; }

    /// <summary>Where the tensors that stay with the provider live: <see cref="TensorHome.Device"/> on CUDA and TensorRT.</summary>
    public TensorHome Device { get; }

    /// <summary>Whether anything lives in device memory, that is, whether copies go through a <see cref="TensorMemory"/>.</summary>
    public bool Staged => Device == TensorHome.Device;

    public static BindingPlan For(ExecutionProvider provider) =>
        new(provider, provider == ExecutionProvider.Cpu ? TensorHome.Host : TensorHome.Device);

    /// <summary>Where <paramref name="tensor"/> of the GPT-SoVITS step lives under this plan.</summary>
    public TensorHome HomeOf(string tensor) =>
        Caches.Contains(tensor) || StepInputs.Contains(tensor) ? Device
        : TopK.Contains(tensor) ? TensorHome.Host
        : throw new ArgumentException($"'{tensor}' is not a tensor of the GPT-SoVITS step", nameof(tensor));

    /// <summary>Bytes that cross between host and device in one step: the step inputs up, the top-k back (none on the CPU).</summary>
    public long BytesPerStep(int topK) => Staged ? (StepInputs.Count * sizeof(long)) + (topK * (sizeof(float) + sizeof(long))) : 0;

    /// <summary>One line per tensor, for logs and <c>edgevoice bench</c>: <c>k_cache=device</c>.</summary>
    public override string ToString() =>
        string.Join(" ", Caches.Concat(StepInputs).Concat(TopK).Select(t => $"{t}={(HomeOf(t) == TensorHome.Device ? "device" : "host")}"));
}
