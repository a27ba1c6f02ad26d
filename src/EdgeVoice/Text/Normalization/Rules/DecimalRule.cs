using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>Numbers with a decimal fraction: 3.14 → "three point one four"; in Chinese 3.5 → 三点五.</summary>
internal sealed class DecimalRule : INumberRule
{
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var amount = input.Amount;
        if (!amount.Found || !amount.HasFraction)
        {
            return 0;
        }

        var fraction = amount.Fraction(input.Rest);
        if (input.Chinese)
        {
            ChineseNumbers.Decimal(amount.Integer, fraction, output);
        }
        else
        {
            EnglishNumbers.Decimal(amount.Integer, fraction, output);
        }

        return amount.Length;
    }
}
