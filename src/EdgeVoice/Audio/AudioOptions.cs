using Microsoft.Extensions.Options;

namespace EdgeVoice.Audio;

/// <summary>Settings of the Audio stage (configuration section <c>Audio</c>).</summary>
internal sealed class AudioOptions
{
    public const string Section = "Audio";

    /// <summary><c>auto</c> (ALSA when the device opens, else WAV files), <c>alsa[:DEVICE]</c> or <c>wav[:DIR]</c>.</summary>
    public string Sink { get; set; } = "auto";

    /// <summary>ALSA device used by <c>auto</c> and by a bare <c>alsa</c>.</summary>
    public string AlsaDevice { get; set; } = "default";

    /// <summary>ALSA buffer latency in milliseconds: larger survives scheduling hiccups, smaller stops sooner.</summary>
    public int AlsaLatencyMs { get; set; } = 100;

    /// <summary>Folder for WAV output, used by <c>auto</c> without a sound card and by a bare <c>wav</c>.</summary>
    public string WavDirectory { get; set; } = "audio-out";

    /// <summary>Newest WAV files kept in <see cref="WavDirectory"/>; older ones are deleted (0 keeps all).</summary>
    public int WavKeepFiles { get; set; } = 100;

    /// <summary>Write WAV output at the pace of the audio, as a sound card plays it (for trying queueing and restarts without a speaker); off: as fast as it is made.</summary>
    public bool WavRealTime { get; set; }

    /// <summary>Chunks synthesis may hold ready ahead of playback. Bounds memory whatever the text length.</summary>
    public int ChunksAhead { get; set; } = 2;

    /// <summary>
    /// The sound card's playback volume control that <c>&lt;base&gt;/volume</c> sets (<c>Master</c>, <c>PCM</c>,
    /// <c>Speaker</c>, or a <c>softvol</c> control of asound.conf). Empty, or a card without it: the volume is a software gain.
    /// </summary>
    public string MixerControl { get; set; } = "";

    /// <summary>The ALSA control device that has <see cref="MixerControl"/> (<c>default</c>, <c>hw:0</c>).</summary>
    public string MixerCard { get; set; } = "default";

    /// <summary>
    /// File the volume (0–100) is kept in across restarts. Empty: <c>volume</c> in systemd's state directory
    /// (<c>$STATE_DIRECTORY</c>, /var/lib/edgevoice), else <c>state/volume</c> under the working directory.
    /// </summary>
    public string VolumeFile { get; set; } = "";

    public SinkSpec ParsedSink => SinkSpec.TryParse(Sink, out var spec, out _) ? spec : new SinkSpec(SinkKind.Auto, null);
}

internal sealed class AudioOptionsValidator : IValidateOptions<AudioOptions>
{
    public ValidateOptionsResult Validate(string? name, AudioOptions options)
    {
        var failures = new List<string>();
        if (!SinkSpec.TryParse(options.Sink, out _, out var error))
        {
            failures.Add($"Audio:Sink {error}");
        }

        if (string.IsNullOrWhiteSpace(options.AlsaDevice))
        {
            failures.Add("Audio:AlsaDevice must name an ALSA device (for example 'default' or 'hw:0,0').");
        }

        if (options.AlsaLatencyMs is < 10 or > 2_000)
        {
            failures.Add($"Audio:AlsaLatencyMs must be between 10 and 2000 (got {options.AlsaLatencyMs}).");
        }

        if (string.IsNullOrWhiteSpace(options.WavDirectory))
        {
            failures.Add("Audio:WavDirectory must name a folder.");
        }

        if (options.WavKeepFiles < 0)
        {
            failures.Add($"Audio:WavKeepFiles must be 0 (keep all) or more (got {options.WavKeepFiles}).");
        }

        if (string.IsNullOrWhiteSpace(options.MixerCard))
        {
            failures.Add("Audio:MixerCard must name an ALSA control device (for example 'default' or 'hw:0').");
        }

        if (options.ChunksAhead is < 1 or > 16)
        {
            failures.Add($"Audio:ChunksAhead must be between 1 and 16 (got {options.ChunksAhead}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
