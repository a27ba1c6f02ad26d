using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Whole numbers, with or without thousands separators: 1,234 → "one thousand two hundred thirty-four";
/// in Chinese 10005 → 一万零五. Numbers too long to be amounts are read digit by digit. The sign before a
/// number (−5 → "minus five", 负五) is read by <see cref="NumberRule"/>.
/// </summary>
internal sealed class CardinalRule : INumberRule
{
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var amount = input.Amount;
        if (!amount.Found || amount.HasFraction)
        {
            return 0;
        }

        if (input.Chinese)
        {
            ChineseNumbers.Decimal(amount.Integer, default, output);
        }
        else
        {
            EnglishNumbers.Decimal(amount.Integer, default, output);
        }

        return amount.Length;
    }
}
