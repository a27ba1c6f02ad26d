using Microsoft.Win32.SafeHandles;

namespace EdgeVoice.Audio.Alsa.Native;

/// <summary>An open <c>snd_mixer_t</c>; closed by the runtime even when a caller forgets.</summary>
internal sealed class SafeMixerHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeMixerHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => LibAsound.MixerClose(handle) == 0;
}
