using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// A number followed by a percent sign: 12.5% → "twelve point five percent"; in Chinese 3.5% → 百分之三点五.
/// (A percent sign on its own is a symbol: see <see cref="SymbolsRule"/>.)
/// </summary>
internal sealed class PercentRule : INumberRule
{
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var amount = input.Amount;
        var after = input.After;
        if (!amount.Found || !(after.StartsWith("%") || after.StartsWith("％")))
        {
            return 0;
        }

        var fraction = amount.Fraction(input.Rest);
        if (input.Chinese)
        {
            output.Append("百分之");
            ChineseNumbers.Decimal(amount.Integer, fraction, output);
        }
        else
        {
            EnglishNumbers.Decimal(amount.Integer, fraction, output);
            output.Append(" percent");
        }

        return amount.Length + 1;
    }
}
