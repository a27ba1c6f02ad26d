using System.Text;

namespace EdgeVoice.Text.Normalization;

/// <summary>Numbers read in English: cardinals, ordinals, years, decimals and digit strings.</summary>
internal static class EnglishNumbers
{
    private static readonly string[] Small =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly (long Value, string Name)[] Scales =
        [(1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand")];

    /// <summary>Numbers beyond this are read digit by digit.</summary>
    public const long MaxCardinal = 999_999_999_999_999;

    public static void Cardinal(long value, StringBuilder output)
    {
        if (value < 0)
        {
            output.Append("minus ");
            value = -value;
        }

        if (value < 20)
        {
            output.Append(Small[value]);
            return;
        }

        var first = true;
        foreach (var (scale, name) in Scales)
        {
            if (value >= scale)
            {
                Hundreds((int)(value / scale), output);
                output.Append(' ').Append(name);
                value %= scale;
                first = false;
                if (value > 0)
                {
                    output.Append(' ');
                }
            }
        }

        if (value > 0 || first)
        {
            Hundreds((int)value, output);
        }
    }

    public static string Cardinal(long value)
    {
        var output = new StringBuilder();
        Cardinal(value, output);
        return output.ToString();
    }

    /// <summary>1 → first, 22 → twenty-second, 100 → one hundredth.</summary>
    public static void Ordinal(long value, StringBuilder output)
    {
        var cardinal = Cardinal(value);
        var cut = Math.Max(cardinal.LastIndexOf(' '), cardinal.LastIndexOf('-')) + 1;
        var last = cardinal[cut..];
        var ordinal = last switch
        {
            "one" => "first",
            "two" => "second",
            "three" => "third",
            "five" => "fifth",
            "eight" => "eighth",
            "nine" => "ninth",
            "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
        output.Append(cardinal, 0, cut).Append(ordinal);
    }

    /// <summary>1999 → nineteen ninety-nine, 2005 → two thousand five, 2024 → twenty twenty-four, 1900 → nineteen hundred.</summary>
    public static void Year(int year, StringBuilder output)
    {
        if (year is < 1000 or > 9999 || (year >= 2000 && year < 2010) || year % 1000 == 0)
        {
            Cardinal(year, output);
            return;
        }

        Hundreds(year / 100, output);
        var rest = year % 100;
        if (rest == 0)
        {
            output.Append(" hundred");
        }
        else if (rest < 10)
        {
            output.Append(" oh ").Append(Small[rest]);
        }
        else
        {
            output.Append(' ');
            Hundreds(rest, output);
        }
    }

    /// <summary>Each digit on its own: "one two three".</summary>
    public static void Digits(ReadOnlySpan<char> digits, StringBuilder output)
    {
        var first = true;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            if (!first)
            {
                output.Append(' ');
            }

            output.Append(Small[c - '0']);
            first = false;
        }
    }

    /// <summary>An integer given as digits: read as a cardinal when it fits, digit by digit otherwise.</summary>
    public static void Integer(ReadOnlySpan<char> digits, StringBuilder output)
    {
        if (digits.Length <= 15 && long.TryParse(digits, out var value))
        {
            Cardinal(value, output);
        }
        else
        {
            Digits(digits, output);
        }
    }

    /// <summary>3.14 → three point one four.</summary>
    public static void Decimal(ReadOnlySpan<char> integer, ReadOnlySpan<char> fraction, StringBuilder output)
    {
        Integer(integer, output);
        if (!fraction.IsEmpty)
        {
            output.Append(" point ");
            Digits(fraction, output);
        }
    }

    private static void Hundreds(int value, StringBuilder output)
    {
        if (value >= 100)
        {
            output.Append(Small[value / 100]).Append(" hundred");
            value %= 100;
            if (value == 0)
            {
                return;
            }

            output.Append(' ');
        }

        if (value < 20)
        {
            output.Append(Small[value]);
        }
        else
        {
            output.Append(Tens[value / 10]);
            if (value % 10 != 0)
            {
                output.Append('-').Append(Small[value % 10]);
            }
        }
    }
}
