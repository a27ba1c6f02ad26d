using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Dates written year first (2024-05-01, 2023/12/31): "May first, twenty twenty-four"; in Chinese
/// 二零二四年五月一日.
/// </summary>
internal sealed partial class DateRule : INumberRule
{
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var rest = input.Rest;
        Match match;
        if (rest.Length < 8 || rest[4] is not ('-' or '/') || !(match = IsoDate().Match(NumberText.Head(rest, 10))).Success)
        {
            return 0;
        }

        Write(NumberText.Int(match.Groups[1]), NumberText.Int(match.Groups[2]), NumberText.Int(match.Groups[3]), input.Chinese, output);
        return match.Length;
    }

    /// <summary>Writes a date in English or in Chinese.</summary>
    public static void Write(int year, int month, int day, bool chinese, StringBuilder output)
    {
        if (chinese)
        {
            ChineseNumbers.Digits(year.ToString(CultureInfo.InvariantCulture), output);
            output.Append('年');
            ChineseNumbers.Cardinal(month, output);
            output.Append('月');
            ChineseNumbers.Cardinal(day, output);
            output.Append('日');
            return;
        }

        output.Append(CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(Math.Clamp(month, 1, 12))).Append(' ');
        EnglishNumbers.Ordinal(day, output);
        output.Append(", ");
        EnglishNumbers.Year(year, output);
    }

    [GeneratedRegex(@"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();
}
