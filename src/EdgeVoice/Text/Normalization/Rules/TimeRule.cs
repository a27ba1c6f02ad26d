using System.Text;
using System.Text.RegularExpressions;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Clock times: 12:30 → "twelve thirty", 7:05 pm → "seven oh five p m", 9:00 → "nine o'clock"; in
/// Chinese 十二点三十分, 三点零五分.
/// </summary>
internal sealed partial class TimeRule : INumberRule
{
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var rest = input.Rest;
        Match match;
        if (rest.Length < 4 || (rest[1] != ':' && rest[2] != ':') || !(match = ClockTime().Match(NumberText.Head(rest, 16))).Success)
        {
            return 0;
        }

        var hour = NumberText.Int(match.Groups[1]);
        var minute = NumberText.Int(match.Groups[2]);
        if (input.Chinese)
        {
            Chinese(hour, minute, output);
        }
        else
        {
            English(hour, minute, match.Groups[3].Value.ToLowerInvariant().Replace(".", "", StringComparison.Ordinal), output);
        }

        return match.Length;
    }

    private static void Chinese(int hour, int minute, StringBuilder output)
    {
        ChineseNumbers.Cardinal(hour, output);
        output.Append('点');
        if (minute > 0)
        {
            if (minute < 10)
            {
                output.Append('零');
            }

            ChineseNumbers.Cardinal(minute, output);
            output.Append('分');
        }
    }

    private static void English(int hour, int minute, string meridiem, StringBuilder output)
    {
        EnglishNumbers.Cardinal(hour, output);
        if (minute == 0)
        {
            output.Append(meridiem.Length > 0 ? "" : " o'clock");
        }
        else if (minute < 10)
        {
            output.Append(" oh ");
            EnglishNumbers.Cardinal(minute, output);
        }
        else
        {
            output.Append(' ');
            EnglishNumbers.Cardinal(minute, output);
        }

        if (meridiem.Length > 0)
        {
            output.Append(meridiem == "am" ? " a m" : " p m");
        }
    }

    [GeneratedRegex(@"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?:\s?([AaPp]\.?[Mm]\.?))?(?![\d:])", RegexOptions.CultureInvariant)]
    private static partial Regex ClockTime();
}
