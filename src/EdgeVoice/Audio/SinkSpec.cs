namespace EdgeVoice.Audio;

internal enum SinkKind
{
    /// <summary>ALSA when its device opens, else WAV files.</summary>
    Auto,
    Alsa,
    Wav,
}

/// <summary>The parsed form of <c>Audio:Sink</c>: <c>auto</c>, <c>alsa[:DEVICE]</c> or <c>wav[:DIR]</c>.</summary>
internal sealed record SinkSpec(SinkKind Kind, string? Target)
{
    public static bool TryParse(string? text, out SinkSpec spec, out string error)
    {
        spec = new SinkSpec(SinkKind.Auto, null);
        error = string.Empty;
        var value = text?.Trim() ?? string.Empty;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? value : value[..colon];
        string? target = colon < 0 ? null : value[(colon + 1)..];
        if (target is { Length: 0 })
        {
            error = $"'{value}' names no device or folder after the colon.";
            return false;
        }

        switch (kind.ToLowerInvariant())
        {
            case "auto" when target is null:
                return true;
            case "alsa":
                spec = new SinkSpec(SinkKind.Alsa, target);
                return true;
            case "wav":
                spec = new SinkSpec(SinkKind.Wav, target);
                return true;
            default:
                error = $"'{value}' is not a sink; use auto, alsa[:DEVICE] or wav[:DIR].";
                return false;
        }
    }
}
