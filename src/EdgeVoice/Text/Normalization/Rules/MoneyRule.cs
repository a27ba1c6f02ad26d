using System.Globalization;
using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Amounts of money after a currency sign: $5.20 → "five dollars and twenty cents", £2.50 → "two pounds and
/// fifty pence", ¥100 → "one hundred yuan"; in Chinese $20 → 二十美元, ¥100 → 一百元.
/// </summary>
internal sealed class MoneyRule : INumberRule
{
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var amount = input.Amount;
        if (!amount.Found || amount.Currency == '\0')
        {
            return 0;
        }

        var fraction = amount.Fraction(input.Rest);
        if (input.Chinese)
        {
            ChineseNumbers.Decimal(amount.Integer, fraction, output);
            output.Append(amount.Currency switch { '$' => "美元", '€' => "欧元", '£' => "英镑", _ => "元" });
        }
        else
        {
            English(amount.Currency, amount.Integer, fraction, output);
        }

        return amount.Length;
    }

    private static void English(char currency, string integer, ReadOnlySpan<char> fraction, StringBuilder output)
    {
        var (major, minor) = currency switch
        {
            '$' => ("dollar", "cent"),
            '€' => ("euro", "cent"),
            '£' => ("pound", "penny"),
            _ => ("yuan", "fen"),
        };
        var whole = long.TryParse(integer, CultureInfo.InvariantCulture, out var w) ? w : 0;
        EnglishNumbers.Integer(integer, output);
        output.Append(' ').Append(major).Append(whole == 1 || major == "yuan" ? "" : "s");
        if (fraction.Length > 0)
        {
            var cents = int.Parse(fraction.Length == 1 ? $"{fraction}0" : fraction[..2], CultureInfo.InvariantCulture);
            if (cents > 0)
            {
                output.Append(" and ");
                EnglishNumbers.Cardinal(cents, output);
                output.Append(' ').Append(minor == "penny" ? (cents == 1 ? "penny" : "pence") : minor + (cents == 1 || minor == "fen" ? "" : "s"));
            }
        }
    }
}
