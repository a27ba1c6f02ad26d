using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Where a number starts (a digit, a currency sign before a digit, or a sign before a digit that does not
/// follow a letter or digit): reads its sign (−5 → "minus five", 负五), then tries the number rules in
/// order, the first that recognises its kind wins. Whether it is read in Chinese is decided by the nearest
/// letters around it.
/// </summary>
internal sealed class NumberRule(INumberRule[] kinds) : ITextRule
{
    public int TryRead(ReadOnlySpan<char> text, int at, int limit, StringBuilder output)
    {
        var c = text[at];
        if (char.IsAsciiDigit(c) || (Amount.IsCurrency(c) && at + 1 < limit && char.IsAsciiDigit(text[at + 1])))
        {
            return Read(text, at, limit, output);
        }

        var signed = at + 1 < limit && char.IsAsciiDigit(text[at + 1]) && (at == 0 || !char.IsAsciiLetterOrDigit(text[at - 1]));
        switch (c)
        {
            case '-' when signed:
                output.Append(Normalizer.ChineseContext(text, at) ? "负" : (output.Length > 0 && output[^1] != ' ' ? " minus " : "minus "));
                return Read(text, at + 1, limit, output);
            case '+' when signed:
                return Read(text, at, limit, output);
            default:
                return -1;
        }
    }

    private int Read(ReadOnlySpan<char> text, int start, int limit, StringBuilder output)
    {
        var chinese = Normalizer.ChineseContext(text, start);
        if (!chinese && output.Length > 0 && MixedScriptSpacing.NeedsSpace(output[^1], '0'))
        {
            output.Append(' ');
        }

        var input = new NumberInput(text, start, limit, chinese);
        var end = start + 1;
        var read = false;
        foreach (var kind in kinds)
        {
            if (kind.TryRead(input, output) is var length and > 0)
            {
                end = start + length;
                read = true;
                break;
            }
        }

        if (!read)
        {
            output.Append(text[start]);
        }

        // A number read in English is a word: keep it apart from letters that follow (15Pro → fifteen Pro).
        if (end < limit && char.IsAsciiLetter(text[end]) && output.Length > 0 && char.IsAsciiLetter(output[^1]))
        {
            output.Append(' ');
        }

        return end;
    }
}
