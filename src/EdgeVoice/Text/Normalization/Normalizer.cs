using System.Buffers;
using System.Text;
using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Text.Normalization;

/// <summary>
/// Turns written text into what is said, for English and Mandarin, one rule per kind of text (the way
/// NeMo's text-normalisation taggers are laid out, in <c>Rules/</c>): numbers of every kind, dates, times,
/// money, units, telephone numbers, symbols and common abbreviations; Chinese numbers are read in Chinese
/// (2024年 → 二零二四年); English words and numbers inside Chinese get spaces (iPhone15 → iPhone 15);
/// emoji and control characters are dropped and white space folded. Plain text is copied in stretches;
/// the rules are tried, in order, only where a character they may start at is found.
/// </summary>
internal static class Normalizer
{
    /// <summary>The kinds of number, in the order they are tried: the first that recognises its kind wins.</summary>
    private static readonly INumberRule[] NumberKinds =
    [
        new TelephoneRule(),
        new SymbolsRule(), // a plus that did not start a telephone number
        new DateRule(),
        new TimeRule(),
        new MoneyRule(),
        new PercentRule(),
        new OrdinalRule(),
        new YearRule(),
        new MeasureRule(),
        new DecimalRule(),
        new CardinalRule(),
    ];

    /// <summary>The kinds of text, in the order they are tried where plain text stops; a character none of them reads is copied.</summary>
    private static readonly ITextRule[] TextKinds =
    [
        new NumberRule(NumberKinds),
        new OrdinalRule(), // 第3
        new AbbreviationRule(),
        new SymbolsRule(),
        new WhiteSpaceRule(),
    ];

    // Where a rule may start; plain letters, spaces and punctuation between them are copied as they are.
    private static readonly SearchValues<char> Interesting = SearchValues.Create(
        "0123456789$€£¥￥&@+=%-\t\n\r\u000B\u000C\u00A0\u200B\u200C\u200D\u2060\uFE0E\uFE0F\u3000.第" +
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    /// <summary>One builder per thread, reused by every call: chunks are normalised one after another.</summary>
    [ThreadStatic]
    private static StringBuilder? s_builder;

    public static string Normalize(string text) => Normalize(text.AsSpan(), 0, text.Length);

    public static string Normalize(ReadOnlySpan<char> text) => Normalize(text, 0, text.Length);

    /// <summary>
    /// Normalises <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>) while seeing
    /// the text around it, so a chunk reads its numbers exactly as the whole text would.
    /// </summary>
    public static string Normalize(ReadOnlySpan<char> text, int start, int end)
    {
        var output = s_builder ??= new StringBuilder(256);
        output.Clear();
        var position = start;
        while (position < end)
        {
            var next = text[position..end].IndexOfAny(Interesting);
            var plainEnd = next < 0 ? end : position + next;
            MixedScriptSpacing.Append(text[position..plainEnd], output);
            if (plainEnd >= end)
            {
                break;
            }

            position = Special(text, plainEnd, end, output);
        }

        return WhiteSpaceRule.Collapse(output);
    }

    /// <summary>True for a word whose full stop does not end a sentence ("Dr", "Mr", "etc").</summary>
    public static bool IsAbbreviation(ReadOnlySpan<char> word) => AbbreviationRule.IsAbbreviation(word);

    /// <summary>True when the nearest letter before or after <paramref name="at"/> is Chinese, Japanese or Korean (before wins): the number there is read in Chinese.</summary>
    internal static bool ChineseContext(ReadOnlySpan<char> text, int at)
    {
        for (var i = at - 1; i >= 0 && i >= at - 24; i--)
        {
            if (Script.IsCjk(text[i]))
            {
                return true;
            }

            if (char.IsLetter(text[i]))
            {
                return false;
            }
        }

        for (var i = at; i < text.Length && i < at + 24; i++)
        {
            if (Script.IsCjk(text[i]))
            {
                return true;
            }

            if (char.IsLetter(text[i]))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Reads what starts at <paramref name="start"/> with the first rule that recognises it and returns where plain text resumes.</summary>
    private static int Special(ReadOnlySpan<char> text, int start, int limit, StringBuilder output)
    {
        foreach (var rule in TextKinds)
        {
            if (rule.TryRead(text, start, limit, output) is var next and >= 0)
            {
                return next;
            }
        }

        output.Append(text[start]);
        return start + 1;
    }
}
