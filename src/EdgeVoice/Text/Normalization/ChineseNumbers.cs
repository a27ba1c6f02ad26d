using System.Text;

namespace EdgeVoice.Text.Normalization;

/// <summary>Numbers read in Mandarin: 一万二千三百零五, 三点五, 二零二四 (digit by digit).</summary>
internal static class ChineseNumbers
{
    private const string DigitChars = "零一二三四五六七八九";
    private static readonly string[] Units = ["", "十", "百", "千"];
    private static readonly (long Value, char Name)[] Groups = [(100_000_000, '亿'), (10_000, '万')];

    public static void Cardinal(long value, StringBuilder output)
    {
        if (value < 0)
        {
            output.Append('负');
            value = -value;
        }

        if (value == 0)
        {
            output.Append('零');
            return;
        }

        Grouped(value, output, leading: true);
    }

    public static string Cardinal(long value)
    {
        var output = new StringBuilder();
        Cardinal(value, output);
        return output.ToString();
    }

    public static void Digits(ReadOnlySpan<char> digits, StringBuilder output)
    {
        foreach (var c in digits)
        {
            if (char.IsAsciiDigit(c))
            {
                output.Append(DigitChars[c - '0']);
            }
        }
    }

    public static void Integer(ReadOnlySpan<char> digits, StringBuilder output)
    {
        if (digits.Length <= 16 && long.TryParse(digits, out var value))
        {
            Cardinal(value, output);
        }
        else
        {
            Digits(digits, output);
        }
    }

    /// <summary>3.5 → 三点五.</summary>
    public static void Decimal(ReadOnlySpan<char> integer, ReadOnlySpan<char> fraction, StringBuilder output)
    {
        Integer(integer, output);
        if (!fraction.IsEmpty)
        {
            output.Append('点');
            Digits(fraction, output);
        }
    }

    /// <summary>
    /// Reads 1 to 9999 with 千百十, and larger values in groups of 万 and 亿, with 零 for gaps; at the
    /// very start of a number 一十 is said 十 (十二, 十万).
    /// </summary>
    private static void Grouped(long value, StringBuilder output, bool leading)
    {
        foreach (var (group, name) in Groups)
        {
            if (value >= group)
            {
                Grouped(value / group, output, leading);
                output.Append(name);
                leading = false;
                value %= group;
                if (value == 0)
                {
                    return;
                }

                if (value < group / 10)
                {
                    output.Append('零');
                }
            }
        }

        var pendingZero = false;
        var started = false;
        for (var position = 3; position >= 0; position--)
        {
            var divisor = (long)Math.Pow(10, position);
            var digit = (int)(value / divisor % 10);
            if (digit == 0)
            {
                pendingZero = started;
                continue;
            }

            if (pendingZero)
            {
                output.Append('零');
                pendingZero = false;
            }

            if (!(leading && !started && position == 1 && digit == 1))
            {
                output.Append(DigitChars[digit]);
            }

            output.Append(Units[position]);
            started = true;
        }
    }
}
