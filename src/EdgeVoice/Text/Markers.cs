using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVoice.Text;

/// <summary>
/// Inline markers as GPT-SoVITS and ChatTTS users write them: <c>[uv_break]</c> (short pause),
/// <c>[lbreak]</c> (long pause), <c>[speed_N]</c> (relative speed from here on, within <see cref="SpeedRange"/>) and
/// <c>[pause_Nms]</c>. A marker is never read aloud; an unknown one is reported once as a warning.
/// The reader walks the text lazily and yields the stretches between markers.
/// </summary>
internal static partial class Markers
{
    public const int MaxPauseMs = 10_000;

    public static IEnumerable<TextSegment> Read(string text, TextOptions options, ICollection<string> warnings, double speed = 1.0)
    {
        var position = 0;
        var segmentStart = 0;
        var pause = 0;
        var reported = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var open = text.IndexOf('[', position);
            if (open < 0)
            {
                break;
            }

            var marker = Marker().Match(text, open);
            if (!marker.Success)
            {
                position = open + 1;
                continue;
            }

            if (open > segmentStart)
            {
                yield return new TextSegment(text, segmentStart, open, speed, pause);
                pause = 0;
            }

            var name = marker.Groups[1].Value;
            switch (name)
            {
                case "uv_break":
                    pause += options.ShortPauseMs;
                    break;
                case "lbreak":
                    pause += options.LongPauseMs;
                    break;
                default:
                    if (name.StartsWith("speed_", StringComparison.Ordinal) &&
                        double.TryParse(name.AsSpan(6), NumberStyles.Float, CultureInfo.InvariantCulture, out var newSpeed) && double.IsFinite(newSpeed))
                    {
                        speed = SpeedRange.Clamp(newSpeed);
                    }
                    else if (PauseMarker().Match(name) is { Success: true } pauseMarker &&
                             int.TryParse(pauseMarker.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var ms))
                    {
                        pause += Math.Clamp(ms, 0, MaxPauseMs);
                    }
                    else if (reported.Add(name))
                    {
                        warnings.Add($"unknown marker [{name}] was not read aloud");
                    }

                    break;
            }

            pause = Math.Min(pause, MaxPauseMs);
            position = segmentStart = open + marker.Length;
        }

        if (segmentStart < text.Length || pause > 0)
        {
            yield return new TextSegment(text, segmentStart, text.Length, speed, pause);
        }
    }

    [GeneratedRegex(@"\G\[([A-Za-z_][A-Za-z0-9_.\-]{0,40})\]", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    [GeneratedRegex(@"^pause_(\d{1,6})ms$", RegexOptions.CultureInvariant)]
    private static partial Regex PauseMarker();
}
