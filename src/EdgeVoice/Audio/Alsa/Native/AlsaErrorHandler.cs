using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeVoice.Audio.Alsa.Native;

/// <summary>
/// Silences libasound's own messages on standard error ("ALSA lib pcm.c: Unknown PCM default"):
/// every failure already comes back as a return code, which <see cref="AlsaException"/> turns into one clear message.
/// </summary>
internal static unsafe partial class AlsaErrorHandler
{
    private static int s_installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            _ = SetHandler(&Ignore);
        }
    }

    // The C type is variadic; a handler that reads only the fixed arguments is safe on the System V and AArch64 ABIs.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Ignore(byte* file, int line, byte* function, int error, byte* format)
    {
    }

    [LibraryImport("libasound.so.2", EntryPoint = "snd_lib_error_set_handler")]
    private static partial int SetHandler(delegate* unmanaged[Cdecl]<byte*, int, byte*, int, byte*, void> handler);
}
