using System.Globalization;
using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Ordinals: 21st → "twenty-first" in English (a number with st, nd, rd or th); 第3 → 第三 in Chinese
/// (the ordinal prefix 第 before digits).
/// </summary>
internal sealed class OrdinalRule : INumberRule, ITextRule
{
    /// <summary>English: a whole number followed by its suffix and no further letter or digit.</summary>
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var amount = input.Amount;
        if (input.Chinese || !amount.Found || amount.HasFraction || !Suffix(input.After) ||
            !long.TryParse(amount.Integer, CultureInfo.InvariantCulture, out var ordinal))
        {
            return 0;
        }

        EnglishNumbers.Ordinal(ordinal, output);
        return amount.Length + 2;
    }

    /// <summary>Chinese: 第 followed by digits.</summary>
    public int TryRead(ReadOnlySpan<char> text, int at, int limit, StringBuilder output)
    {
        if (text[at] != '第' || at + 1 >= limit || !char.IsAsciiDigit(text[at + 1]))
        {
            return -1;
        }

        var end = at + 1;
        while (end < limit && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        output.Append('第');
        ChineseNumbers.Integer(text[(at + 1)..end], output);
        return end;
    }

    private static bool Suffix(ReadOnlySpan<char> after) =>
        after.Length >= 2 && (after.StartsWith("st") || after.StartsWith("nd") || after.StartsWith("rd") || after.StartsWith("th")) &&
        (after.Length == 2 || !char.IsLetterOrDigit(after[2]));
}
