using System.Globalization;
using EdgeVoice.Audio.Alsa;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Audio.Volume;

/// <summary>
/// The device's volume, 0 to 100: the sound card's mixer control (<c>Audio:MixerControl</c>) when it has
/// one, else a software gain on every sample played locally. The level is kept in a small file of the
/// state directory, so it survives restarts.
/// </summary>
internal sealed partial class VolumeControl : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _stateFile;
    private readonly ILogger _logger;
    private AlsaMixer? _mixer;
    private int _level = 100;

    public VolumeControl(IOptions<AudioOptions> options, ILogger<VolumeControl> logger)
    {
        _logger = logger;
        var audio = options.Value;
        _stateFile = StateFile(audio);
        _level = Load(_stateFile) ?? 100;
        if (audio.MixerControl is { Length: > 0 } control && audio.ParsedSink.Kind != SinkKind.Wav)
        {
            try
            {
                _mixer = AlsaMixer.Open(audio.MixerCard, control);
            }
            catch (AlsaException e)
            {
                MixerProblem = e.Message;
                Log.NoMixer(_logger, e.Message);
            }
        }

        Apply(_level);
    }

    /// <summary>Raised after the level changed (with the new level), for the retained state topic.</summary>
    public event Action<int>? Changed;

    /// <summary>The level, 0 to 100.</summary>
    public int Level
    {
        get
        {
            lock (_gate)
            {
                return _level;
            }
        }
    }

    /// <summary>Where the level is applied: <c>mixer:&lt;card&gt;:&lt;control&gt;</c> or <c>software</c>.</summary>
    public string Method => _mixer is { } mixer ? $"mixer:{mixer.Card}:{mixer.Control}" : "software";

    /// <summary>Why a configured mixer control is not used; null when there is none configured or it works.</summary>
    public string? MixerProblem { get; private set; }

    /// <summary>The factor every local sample is scaled by: 1 when the card's mixer does the work.</summary>
    public double SoftwareGain
    {
        get
        {
            lock (_gate)
            {
                return _mixer is null ? _level / 100.0 : 1.0;
            }
        }
    }

    /// <summary>The file the level is kept in: <c>Audio:VolumeFile</c>, else <c>volume</c> in systemd's state directory, else <c>state/volume</c>.</summary>
    public static string StateFile(AudioOptions audio)
    {
        if (audio.VolumeFile is { Length: > 0 } file)
        {
            return file;
        }

        var stateDirectory = Environment.GetEnvironmentVariable("STATE_DIRECTORY");
        return stateDirectory is { Length: > 0 }
            ? Path.Combine(stateDirectory.Split(':')[0], "volume")
            : Path.Combine("state", "volume");
    }

    /// <summary>Sets the level (clamped to 0–100), applies and keeps it.</summary>
    public int Set(int level)
    {
        level = Math.Clamp(level, 0, 100);
        lock (_gate)
        {
            _level = level;
            Apply(level);
            Save(level);
        }

        Changed?.Invoke(level);
        return level;
    }

    public void Dispose() => _mixer?.Dispose();

    private void Apply(int level)
    {
        if (_mixer is not { } mixer)
        {
            return;
        }

        try
        {
            mixer.SetLevel(level);
        }
        catch (AlsaException e)
        {
            // The card went away or refused: fall back to software gain rather than lose the volume.
            Log.NoMixer(_logger, e.Message);
            MixerProblem = e.Message;
            mixer.Dispose();
            _mixer = null;
        }
    }

    private void Save(int level)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(_stateFile))!;
            Directory.CreateDirectory(directory);
            var temporary = _stateFile + ".new";
            File.WriteAllText(temporary, level.ToString(CultureInfo.InvariantCulture) + "\n");
            File.Move(temporary, _stateFile, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.NotSaved(_logger, _stateFile, e.Message);
        }
    }

    private static int? Load(string file)
    {
        try
        {
            return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var level)
                ? Math.Clamp(level, 0, 100)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "No hardware volume ({Reason}); the volume is a software gain")]
        public static partial void NoMixer(ILogger logger, string reason);

        [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "The volume could not be kept in {File}: {Reason}")]
        public static partial void NotSaved(ILogger logger, string file, string reason);
    }
}
