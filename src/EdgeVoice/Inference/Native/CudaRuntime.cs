using System.Runtime.InteropServices;

namespace EdgeVoice.Inference.Native;

/// <summary>
/// The only imports of the CUDA runtime in EdgeVoice: device memory the GPT-SoVITS caches live in.
/// <c>libcudart.so.13</c> is the library ONNX Runtime's CUDA provider loads itself; these are used only
/// once a session runs on CUDA or TensorRT.
/// </summary>
internal static partial class CudaRuntime
{
    private const string Library = "libcudart.so.13";

    /// <summary><c>cudaMemcpyDefault</c>: the direction follows from the pointers (unified addressing).</summary>
    public const int CopyDefault = 4;

    [LibraryImport(Library, EntryPoint = "cudaSetDevice")]
    public static partial int SetDevice(int device);

    [LibraryImport(Library, EntryPoint = "cudaMalloc")]
    public static partial int Malloc(out IntPtr pointer, nuint bytes);

    [LibraryImport(Library, EntryPoint = "cudaFree")]
    public static partial int Free(IntPtr pointer);

    [LibraryImport(Library, EntryPoint = "cudaMemcpy")]
    public static partial int Memcpy(IntPtr destination, IntPtr source, nuint bytes, int kind);

    [LibraryImport(Library, EntryPoint = "cudaMemset")]
    public static partial int Memset(IntPtr pointer, int value, nuint bytes);

    [LibraryImport(Library, EntryPoint = "cudaDeviceSynchronize")]
    public static partial int DeviceSynchronize();

    [LibraryImport(Library, EntryPoint = "cudaGetErrorString")]
    public static partial IntPtr ErrorString(int error);
}
