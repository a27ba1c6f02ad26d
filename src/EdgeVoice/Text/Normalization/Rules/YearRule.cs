using System.Globalization;
using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Years. In Chinese a two- or four-digit number before 年 is read digit by digit (2024年 → 二零二四年).
/// In English a four-digit number after "in", "since", "year", "of", "until", "from" or "by" is read as a
/// year (in 1999 → "in nineteen ninety-nine", in 2005 → "in two thousand five").
/// </summary>
internal sealed class YearRule : INumberRule
{
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var amount = input.Amount;
        if (!amount.Found || amount.Currency != '\0' || amount.HasFraction)
        {
            return 0;
        }

        if (input.After.StartsWith("年") && amount.Integer.Length is 2 or 4)
        {
            ChineseNumbers.Digits(amount.Integer, output);
            return amount.Length;
        }

        if (!input.Chinese && amount.Integer.Length == 4 && AfterYearWord(input.Text, input.Start) && MeasureRule.Unit(input.After).Unit is null)
        {
            EnglishNumbers.Year(int.Parse(amount.Integer, CultureInfo.InvariantCulture), output);
            return amount.Length;
        }

        return 0;
    }

    private static bool AfterYearWord(ReadOnlySpan<char> text, int start)
    {
        var before = text[Math.Max(0, start - 16)..start].TrimEnd();
        var word = before[(before.LastIndexOf(' ') + 1)..];
        return word.Equals("in", StringComparison.OrdinalIgnoreCase) || word.Equals("since", StringComparison.OrdinalIgnoreCase) ||
               word.Equals("year", StringComparison.OrdinalIgnoreCase) || word.Equals("of", StringComparison.OrdinalIgnoreCase) ||
               word.Equals("until", StringComparison.OrdinalIgnoreCase) || word.Equals("from", StringComparison.OrdinalIgnoreCase) ||
               word.Equals("by", StringComparison.OrdinalIgnoreCase);
    }
}
