namespace EdgeVoice.Inference;

internal enum ExecutionProvider
{
    TensorRt,
    Cuda,
    Cpu,
}

internal static class ExecutionProviders
{
    public static bool TryParse(string text, out ExecutionProvider provider)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "tensorrt" or "trt":
                provider = ExecutionProvider.TensorRt;
                return true;
            case "cuda":
                provider = ExecutionProvider.Cuda;
                return true;
            case "cpu":
                provider = ExecutionProvider.Cpu;
                return true;
            default:
                provider = default;
                return false;
        }
    }

    /// <summary>The name EdgeVoice reports in events, <c>info</c> and metrics.</summary>
    public static string Name(this ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.TensorRt => "tensorrt",
        ExecutionProvider.Cuda => "cuda",
        _ => "cpu",
    };
}
