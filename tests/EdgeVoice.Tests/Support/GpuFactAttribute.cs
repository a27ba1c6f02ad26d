using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Tests.Support;

/// <summary>
/// A test that needs an NVIDIA GPU with CUDA 13 and the GPU build of ONNX Runtime (<c>-p:EdgeVoiceGpu=true</c>):
/// skipped, with the reason, everywhere else. Such tests also carry <c>[Trait("Category", "Gpu")]</c>;
/// scripts/check-gpu.sh runs them on a GPU machine.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (GpuMachine.Missing is { } missing)
        {
            Skip = $"needs a CUDA GPU: {missing}";
        }
    }
}

/// <summary>What this machine lacks to run the CUDA provider, or null when nothing.</summary>
internal static class GpuMachine
{
    private static readonly Lazy<string?> Reason = new(Find);

    public static string? Missing => Reason.Value;

    private static string? Find()
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            return "this is the CPU build of ONNX Runtime (build the tests with -p:EdgeVoiceGpu=true)";
        }

        if (!File.Exists("/dev/nvidia0") && !Directory.Exists("/proc/driver/nvidia/gpus"))
        {
            return "no NVIDIA GPU is visible (/dev/nvidia0)";
        }

        if (!NativeLibrary.TryLoad("libcudart.so.13", out var cudart))
        {
            return "the CUDA 13 runtime (libcudart.so.13) is not on the library path";
        }

        NativeLibrary.Free(cudart);
        return null;
    }
}
