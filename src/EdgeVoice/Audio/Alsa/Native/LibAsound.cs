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

    [LibraryImport(Library, EntryPoint = "snd_mixer_open")]
    public static partial int MixerOpen(out SafeMixerHandle mixer, int mode);

    [LibraryImport(Library, EntryPoint = "snd_mixer_close")]
    public static partial int MixerClose(IntPtr mixer);

    [LibraryImport(Library, EntryPoint = "snd_mixer_attach", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MixerAttach(SafeMixerHandle mixer, string card);

    [LibraryImport(Library, EntryPoint = "snd_mixer_selem_register")]
    public static partial int MixerSelemRegister(SafeMixerHandle mixer, IntPtr options, IntPtr classp);

    [LibraryImport(Library, EntryPoint = "snd_mixer_load")]
    public static partial int MixerLoad(SafeMixerHandle mixer);

    [LibraryImport(Library, EntryPoint = "snd_mixer_selem_id_malloc")]
    private static partial int SelemIdMalloc(out IntPtr id);

    [LibraryImport(Library, EntryPoint = "snd_mixer_selem_id_free")]
    private static partial void SelemIdFree(IntPtr id);

    [LibraryImport(Library, EntryPoint = "snd_mixer_selem_id_set_name", StringMarshalling = StringMarshalling.Utf8)]
    private static partial void SelemIdSetName(IntPtr id, string name);

    [LibraryImport(Library, EntryPoint = "snd_mixer_selem_id_set_index")]
    private static partial void SelemIdSetIndex(IntPtr id, uint index);

    [LibraryImport(Library, EntryPoint = "snd_mixer_find_selem")]
    private static partial IntPtr MixerFindSelem(SafeMixerHandle mixer, IntPtr id);

    [LibraryImport(Library, EntryPoint = "snd_mixer_selem_has_playback_volume")]
    private static partial int SelemHasPlaybackVolume(IntPtr element);

    [LibraryImport(Library, EntryPoint = "snd_mixer_selem_get_playback_volume_range")]
    private static partial int SelemGetPlaybackVolumeRange(IntPtr element, out nint min, out nint max);

    [LibraryImport(Library, EntryPoint = "snd_mixer_selem_set_playback_volume_all")]
    private static partial int SelemSetPlaybackVolumeAll(IntPtr element, nint value);

    /// <summary>
    /// The playback volume range of the simple control <paramref name="name"/> (index 0) of an open, loaded
    /// mixer; false when the card has no such control or it has no playback volume.
    /// </summary>
    public static bool TryGetVolumeRange(SafeMixerHandle mixer, string name, out long min, out long max)
    {
        min = max = 0;
        var element = Find(mixer, name);
        if (element == IntPtr.Zero || SelemHasPlaybackVolume(element) == 0 || SelemGetPlaybackVolumeRange(element, out var low, out var high) < 0)
        {
            return false;
        }

        (min, max) = (low, high);
        return true;
    }

    /// <summary>Sets every channel of the control <paramref name="name"/> to <paramref name="value"/> (in its own range); a negative errno on failure.</summary>
    public static int SetVolume(SafeMixerHandle mixer, string name, long value)
    {
        var element = Find(mixer, name);
        return element == IntPtr.Zero ? ENOENT : SelemSetPlaybackVolumeAll(element, (nint)value);
    }

    private static IntPtr Find(SafeMixerHandle mixer, string name)
    {
        if (SelemIdMalloc(out var id) < 0)
        {
            return IntPtr.Zero;
        }

        try
        {
            SelemIdSetIndex(id, 0);
            SelemIdSetName(id, name);
            return MixerFindSelem(mixer, id);
        }
        finally
        {
            SelemIdFree(id);
        }
    }

    [LibraryImport(Library, EntryPoint = "snd_strerror")]
    private static partial IntPtr StrError(int error);

    public static string Describe(int error) => Marshal.PtrToStringUTF8(StrError(error)) ?? $"error {error}";
}
