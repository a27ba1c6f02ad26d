using System.Runtime.InteropServices;

namespace EdgeVoice.Inference.Native;

/// <summary>
/// The C library's heap. Loading a large graph parses its protobuf (the whole file, weights included)
/// into memory that is freed once the session holds its weights, but glibc keeps freed memory for
/// reuse: <c>malloc_trim</c> gives it back to the system, so the hundreds of megabytes a 300 MB graph
/// passed through do not stay in the daemon's resident set.
/// </summary>
internal static partial class NativeHeap
{
    private static bool s_unavailable;

    /// <summary>Returns the heap's free memory to the system; does nothing on a C library without <c>malloc_trim</c> (musl).</summary>
    public static void Trim()
    {
        if (s_unavailable || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
