using System.Runtime.InteropServices;

namespace EdgeVoice.Inference;

/// <summary>What the machine's GPU stack is, as far as the files say: the facts an engine cache is keyed by.</summary>
internal static class Accelerator
{
    private static readonly Lazy<string?> TensorRt = new(ReadTensorRtVersion);
    private static readonly Lazy<string?> Gpu = new(ReadGpuName);

    /// <summary>TensorRT's version (<c>10.3.0</c>) from <c>libnvinfer</c>, or null when TensorRT is not installed.</summary>
    public static string? TensorRtVersion => TensorRt.Value;

    /// <summary>The GPU's model (<c>NVIDIA Jetson AGX Orin</c>, <c>NVIDIA H100 80GB HBM3</c>), or null when none is visible.</summary>
    public static string? GpuName => Gpu.Value;

    private static unsafe string? ReadTensorRtVersion()
    {
        foreach (var name in new[] { "libnvinfer.so.10", "libnvinfer.so.8", "libnvinfer.so" })
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "getInferLibVersion", out var export))
            {
                // getInferLibVersion returns MAJOR*1000+MINOR*100+PATCH (8.x) or MAJOR*10000+MINOR*100+PATCH (10.x).
                var version = ((delegate* unmanaged[Cdecl]<int>)export)();
                return version >= 10000
                    ? $"{version / 10000}.{version / 100 % 100}.{version % 100}"
                    : $"{version / 1000}.{version / 100 % 10}.{version % 100}";
            }
        }

        return null;
    }

    private static string? ReadGpuName()
    {
        // Desktop and data-centre GPUs: one folder per GPU with a "Model:" line.
        const string nvidia = "/proc/driver/nvidia/gpus";
        if (Directory.Exists(nvidia))
        {
            foreach (var info in Directory.EnumerateFiles(nvidia, "information", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var model = File.ReadLines(info).FirstOrDefault(l => l.StartsWith("Model:", StringComparison.Ordinal));
                if (model is not null)
                {
                    return model["Model:".Length..].Trim();
                }
            }
        }

        // Jetson: the integrated GPU is named by the board.
        foreach (var path in new[] { "/proc/device-tree/model", "/sys/firmware/devicetree/base/model" })
        {
            if (File.Exists(path))
            {
                return File.ReadAllText(path).TrimEnd('\0', '\n', ' ');
            }
        }

        return null;
    }
}
