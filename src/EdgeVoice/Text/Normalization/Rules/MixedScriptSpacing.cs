using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Plain text between the characters the rules stop at: copied as it is, with a space between Chinese
/// (or other CJK) and Latin letters or digits and between letters and digits (发布会iPhone15 → 发布会
/// iPhone 15), and emoji and pictographs dropped (rare Han characters above U+FFFF are kept).
/// </summary>
internal static class MixedScriptSpacing
{
    private enum CharClass : byte
    {
        Other,
        Letter,
        Digit,
        Cjk,
        Dropped,
    }

    /// <summary>Appends <paramref name="plain"/> (text without digits or symbols the rules read) to <paramref name="output"/>.</summary>
    public static void Append(ReadOnlySpan<char> plain, StringBuilder output)
    {
        if (plain.IsEmpty)
        {
            return;
        }

        var copied = 0;
        var previous = output.Length > 0 ? Classify(output[^1]) : CharClass.Other;
        for (var i = 0; i < plain.Length; i++)
        {
            var c = plain[i];
            var current = Classify(c);
            if (current == CharClass.Dropped)
            {
                // Emoji and pictographs (arrows, dingbats, symbols, emoji above U+FFFF) are not read;
                // other characters above U+FFFF (rare Han characters) are kept; a lone surrogate is dropped.
                output.Append(plain[copied..i]);
                var pair = char.IsHighSurrogate(c) && i + 1 < plain.Length && char.IsLowSurrogate(plain[i + 1]);
                if (pair && !IsEmoji(char.ConvertToUtf32(c, plain[i + 1])))
                {
                    output.Append(c).Append(plain[i + 1]);
                }

                if (pair)
                {
                    i++;
                }

                copied = i + 1;
                continue;
            }

            if (NeedsSpace(previous, current))
            {
                output.Append(plain[copied..i]).Append(' ');
                copied = i;
            }

            previous = current;
        }

        output.Append(plain[copied..]);
    }

    /// <summary>A space goes between Chinese and Latin letters or digits, and between letters and digits (iPhone15 → iPhone 15).</summary>
    public static bool NeedsSpace(char before, char after) => NeedsSpace(Classify(before), Classify(after));

    private static bool NeedsSpace(CharClass before, CharClass after) =>
        before != after && before is CharClass.Letter or CharClass.Digit or CharClass.Cjk && after is CharClass.Letter or CharClass.Digit or CharClass.Cjk;

    private static CharClass Classify(char c) => c switch
    {
        >= '0' and <= '9' => CharClass.Digit,
        >= 'A' and <= 'Z' or >= 'a' and <= 'z' => CharClass.Letter,
        < '\u0080' => CharClass.Other,
        >= '\u2190' and <= '\u2BFF' or >= '\uD800' and <= '\uDFFF' => CharClass.Dropped,
        _ when Script.IsCjk(c) => CharClass.Cjk,
        _ => CharClass.Other,
    };

    private static bool IsEmoji(int codePoint) => codePoint is >= 0x1F000 and <= 0x1FAFF or >= 0x1F900 and <= 0x1F9FF or >= 0xE0000 and <= 0xE007F;
}
