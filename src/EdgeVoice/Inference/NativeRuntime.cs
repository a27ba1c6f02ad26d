using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Inference;

/// <summary>
/// Points ONNX Runtime's managed API at another <c>libonnxruntime.so</c> (<c>Inference:NativeLibraryPath</c>),
/// such as the TensorRT-enabled build Jetson owners compile. This must happen before the first
/// ONNX Runtime call of the process, and only once.
/// </summary>
internal static class NativeRuntime
{
    private const ushort MachineX64 = 62;
    private const ushort MachineArm64 = 183;
    private static readonly byte[] ElfMagic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];
    private static readonly Lock Gate = new();
    private static string? s_configured;

    public static void Configure(string? libraryPath)
    {
        if (string.IsNullOrWhiteSpace(libraryPath))
        {
            return;
        }

        lock (Gate)
        {
            var full = Path.GetFullPath(libraryPath);
            if (s_configured is not null)
            {
                if (s_configured != full)
                {
                    throw new InferenceUnavailableException($"ONNX Runtime is already loaded from '{s_configured}'; '{full}' cannot replace it in the same process.");
                }

                return;
            }

            Check(full);
            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, _, _) =>
                name.Contains("onnxruntime", StringComparison.Ordinal) ? NativeLibrary.Load(full) : IntPtr.Zero);
            s_configured = full;
        }
    }

    /// <summary>Throws a clear error when <paramref name="path"/> is missing, not a shared library, or built for another CPU.</summary>
    public static void Check(string path)
    {
        if (!File.Exists(path))
        {
            throw new InferenceUnavailableException($"Inference:NativeLibraryPath '{path}' does not exist.");
        }

        Span<byte> header = stackalloc byte[20];
        using (var file = File.OpenRead(path))
        {
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header[..4].SequenceEqual(ElfMagic))
            {
                throw new InferenceUnavailableException($"Inference:NativeLibraryPath '{path}' is not a Linux shared library (no ELF header).");
            }
        }

        var machine = BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
        var expected = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => MachineX64,
            Architecture.Arm64 => MachineArm64,
            _ => machine,
        };
        if (machine != expected)
        {
            throw new InferenceUnavailableException(
                $"Inference:NativeLibraryPath '{path}' is built for {Describe(machine)}, but this process runs on {RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}.");
        }
    }

    private static string Describe(ushort machine) => machine switch
    {
        MachineX64 => "x86-64",
        MachineArm64 => "aarch64 (arm64)",
        _ => $"ELF machine {machine}",
    };
}

/// <summary>No execution provider can run a model, or ONNX Runtime itself cannot be loaded.</summary>
internal sealed class InferenceUnavailableException : Exception
{
    public InferenceUnavailableException(string message)
        : base(message)
    {
    }

    public InferenceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
