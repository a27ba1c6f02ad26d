using Microsoft.Win32.SafeHandles;

namespace EdgeVoice.Audio.Alsa.Native;

/// <summary>An open <c>snd_pcm_t</c>; closing it is the runtime's job, even when a caller forgets.</summary>
internal sealed class SafePcmHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafePcmHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => LibAsound.PcmClose(handle) == 0;
}
