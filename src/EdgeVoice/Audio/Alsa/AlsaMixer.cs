using EdgeVoice.Audio.Alsa.Native;

namespace EdgeVoice.Audio.Alsa;

/// <summary>
/// One playback volume control of a sound card (<c>Master</c>, <c>PCM</c>, <c>Speaker</c>, or a
/// <c>softvol</c> control of the card's asound.conf), set as a level from 0 to 100 across its own range.
/// </summary>
internal sealed class AlsaMixer : IDisposable
{
    private readonly SafeMixerHandle _mixer;
    private readonly long _min;
    private readonly long _max;

    private AlsaMixer(SafeMixerHandle mixer, string card, string control, long min, long max)
    {
        _mixer = mixer;
        Card = card;
        Control = control;
        _min = min;
        _max = max;
    }

    public string Card { get; }

    public string Control { get; }

    /// <summary>Opens <paramref name="control"/> on <paramref name="card"/> (an ALSA control device: <c>default</c>, <c>hw:0</c>).</summary>
    /// <exception cref="AlsaException">The card cannot be opened, or it has no such playback volume control.</exception>
    public static AlsaMixer Open(string card, string control)
    {
        AlsaErrorHandler.Install();
        SafeMixerHandle? mixer = null;
        try
        {
            AlsaException.Check(LibAsound.MixerOpen(out mixer, 0), "snd_mixer_open");
            AlsaException.Check(LibAsound.MixerAttach(mixer, card), $"opening the mixer of '{card}'");
            AlsaException.Check(LibAsound.MixerSelemRegister(mixer, IntPtr.Zero, IntPtr.Zero), "snd_mixer_selem_register");
            AlsaException.Check(LibAsound.MixerLoad(mixer), $"loading the mixer of '{card}'");
            if (!LibAsound.TryGetVolumeRange(mixer, control, out var min, out var max) || max <= min)
            {
                throw new AlsaException($"the sound card '{card}' has no playback volume control '{control}'");
            }

            var opened = new AlsaMixer(mixer, card, control, min, max);
            mixer = null;
            return opened;
        }
        catch (DllNotFoundException e)
        {
            throw new AlsaException("libasound.so.2 is not installed", e);
        }
        finally
        {
            mixer?.Dispose();
        }
    }

    /// <summary>The control's raw value for a level from 0 to 100 (linear across its range).</summary>
    public static long RawValue(int level, long min, long max) =>
        min + (long)Math.Round((max - min) * Math.Clamp(level, 0, 100) / 100.0);

    /// <summary>Sets the control to <paramref name="level"/> (0–100).</summary>
    public void SetLevel(int level) =>
        AlsaException.Check(LibAsound.SetVolume(_mixer, Control, RawValue(level, _min, _max)), $"setting '{Control}' on '{Card}'");

    public void Dispose() => _mixer.Dispose();
}
