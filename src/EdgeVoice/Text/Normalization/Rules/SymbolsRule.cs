using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Symbols read as words: &amp; → "and" / 和, @ → "at" / 艾特, + → "plus" / 加, = → "equals" / 等于,
/// a lone % → "percent" / 百分之. In English the word gets spaces around it (me@home → "me at home").
/// </summary>
internal sealed class SymbolsRule : ITextRule, INumberRule
{
    public int TryRead(ReadOnlySpan<char> text, int at, int limit, StringBuilder output)
    {
        if (text[at] is not ('&' or '@' or '+' or '=' or '%'))
        {
            return -1;
        }

        Write(text, at, output);
        return at + 1;
    }

    /// <summary>A plus before digits that is not a telephone number's: "2+2" → "two plus two".</summary>
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        if (input.Text[input.Start] != '+')
        {
            return 0;
        }

        Write(input.Text, input.Start, output);
        return 1;
    }

    private static void Write(ReadOnlySpan<char> text, int at, StringBuilder output)
    {
        var chinese = Normalizer.ChineseContext(text, at);
        var word = text[at] switch
        {
            '&' => chinese ? "和" : "and",
            '@' => chinese ? "艾特" : "at",
            '+' => chinese ? "加" : "plus",
            '=' => chinese ? "等于" : "equals",
            _ => chinese ? "百分之" : "percent",
        };
        if (!chinese && output.Length > 0 && output[^1] != ' ')
        {
            output.Append(' ');
        }

        output.Append(word);
        if (!chinese && at + 1 < text.Length && text[at + 1] != ' ')
        {
            output.Append(' ');
        }
    }
}
