using System.Runtime.InteropServices;

namespace EdgeVoice.Audio.Alsa.Native;

/// <summary>The only imports of libasound in EdgeVoice. Nothing outside this folder sees a pointer.</summary>
internal static partial class LibAsound
{
    private const string Library = "libasound.so.2";

    public const int StreamPlayback = 0;
    public const int ModeNonBlock = 1;
    public const int FormatS16Le = 2;
    public const int AccessRwInterleaved = 3;

    // Negated errno values returned by libasound.
    public const int ENOENT = -2;
    public const int EAGAIN = -11;
    public const int EBUSY = -16;
    public const int ENODEV = -19;
    public const int EPIPE = -32;
    public const int ESTRPIPE = -86;

    [LibraryImport(Library, EntryPoint = "snd_pcm_open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PcmOpen(out SafePcmHandle pcm, string name, int stream, int mode);

    [LibraryImport(Library, EntryPoint = "snd_pcm_close")]
    public static partial int PcmClose(IntPtr pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_nonblock")]
    public static partial int PcmNonBlock(SafePcmHandle pcm, int nonblock);

    [LibraryImport(Library, EntryPoint = "snd_pcm_set_params")]
    public static partial int PcmSetParams(
        SafePcmHandle pcm, int format, int access, uint channels, uint rate, int softResample, uint latencyMicroseconds);

    [LibraryImport(Library, EntryPoint = "snd_pcm_writei")]
    public static unsafe partial nint PcmWriteInterleaved(SafePcmHandle pcm, short* buffer, nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_recover")]
    public static partial int PcmRecover(SafePcmHandle pcm, int error, int silent);

    [LibraryImport(Library, EntryPoint = "snd_pcm_prepare")]
    public static partial int PcmPrepare(SafePcmHandle pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_drain")]
    public static partial int PcmDrain(SafePcmHandle pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_drop")]
    public static partial int PcmDrop(SafePcmHandle pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_delay")]
    public static partial int PcmDelay(SafePcmHandle pcm, out nint delayFrames);

    [LibraryImport(Library, EntryPoint = "snd_strerror")]
    private static partial IntPtr StrError(int error);

    public static string Describe(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"error {error}";
}
