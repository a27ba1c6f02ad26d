using System.Buffers;
using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// A number with a unit: 5 km → "five kilometers", 1 kg → "one kilogram", 25°C → "twenty-five degrees
/// Celsius"; in Chinese 5公里 stays, 25°C → 二十五摄氏度. Names of two or more characters may follow a
/// space; single letters only directly (5m, 3s).
/// </summary>
internal sealed class MeasureRule : INumberRule
{
    private static readonly Dictionary<string, (string English, string Chinese)> UnitNames = new(StringComparer.Ordinal)
    {
        ["km"] = ("kilometers", "公里"), ["m"] = ("meters", "米"), ["cm"] = ("centimeters", "厘米"), ["mm"] = ("millimeters", "毫米"),
        ["kg"] = ("kilograms", "千克"), ["g"] = ("grams", "克"), ["mg"] = ("milligrams", "毫克"), ["t"] = ("tonnes", "吨"),
        ["l"] = ("liters", "升"), ["L"] = ("liters", "升"), ["ml"] = ("milliliters", "毫升"), ["mL"] = ("milliliters", "毫升"),
        ["°C"] = ("degrees Celsius", "摄氏度"), ["℃"] = ("degrees Celsius", "摄氏度"), ["°F"] = ("degrees Fahrenheit", "华氏度"), ["°"] = ("degrees", "度"),
        ["GB"] = ("gigabytes", "GB"), ["MB"] = ("megabytes", "MB"), ["KB"] = ("kilobytes", "KB"), ["TB"] = ("terabytes", "TB"),
        ["GHz"] = ("gigahertz", "吉赫"), ["MHz"] = ("megahertz", "兆赫"), ["kHz"] = ("kilohertz", "千赫"), ["Hz"] = ("hertz", "赫兹"),
        ["ms"] = ("milliseconds", "毫秒"), ["s"] = ("seconds", "秒"), ["min"] = ("minutes", "分钟"), ["h"] = ("hours", "小时"),
        ["km/h"] = ("kilometers per hour", "公里每小时"), ["mph"] = ("miles per hour", "英里每小时"), ["kW"] = ("kilowatts", "千瓦"),
        ["W"] = ("watts", "瓦"), ["V"] = ("volts", "伏"), ["mAh"] = ("milliamp hours", "毫安时"), ["mi"] = ("miles", "英里"),
    };

    private static readonly SearchValues<char> UnitStarts = SearchValues.Create(string.Concat(UnitNames.Keys.Select(k => k[0])));

    private static readonly string[] UnitsLongestFirst = [.. UnitNames.Keys.OrderByDescending(k => k.Length).ThenBy(k => k, StringComparer.Ordinal)];

    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var amount = input.Amount;
        if (!amount.Found)
        {
            return 0;
        }

        var (unit, unitLength) = Unit(input.After);
        if (unit is null)
        {
            return 0;
        }

        var fraction = amount.Fraction(input.Rest);
        var names = UnitNames[unit];
        if (input.Chinese)
        {
            ChineseNumbers.Decimal(amount.Integer, fraction, output);
            output.Append(names.Chinese);
        }
        else
        {
            EnglishNumbers.Decimal(amount.Integer, fraction, output);
            output.Append(' ').Append(Singular(names.English, amount.Integer, fraction));
        }

        return amount.Length + unitLength;
    }

    /// <summary>The unit written right after a number and how many characters it takes (with a space before it); null when none.</summary>
    public static (string? Unit, int Length) Unit(ReadOnlySpan<char> after)
    {
        if (after.IsEmpty)
        {
            return (null, 0);
        }

        var spaced = after[0] == ' ' ? 1 : 0;
        if (spaced >= after.Length || !UnitStarts.Contains(after[spaced]))
        {
            return (null, 0);
        }

        foreach (var unit in UnitsLongestFirst)
        {
            if ((unit.Length == 1 && spaced == 1) || !after[spaced..].StartsWith(unit, StringComparison.Ordinal))
            {
                continue;
            }

            var end = spaced + unit.Length;
            if (end < after.Length && char.IsAsciiLetter(after[end]))
            {
                continue; // "5 kgs", "3 months": not a unit
            }

            return (unit, end);
        }

        return (null, 0);
    }

    private static string Singular(string unit, string integer, ReadOnlySpan<char> fraction) =>
        integer == "1" && fraction.IsEmpty && unit.EndsWith('s') && !unit.Contains(' ', StringComparison.Ordinal) ? unit[..^1] :
        integer == "1" && fraction.IsEmpty && unit.StartsWith("degrees", StringComparison.Ordinal) ? "degree" + unit["degrees".Length..] : unit;
}
