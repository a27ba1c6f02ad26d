namespace EdgeVoice.Text;

/// <summary>Which language each stretch of a chunk is in, from its script: Han → zh, kana → ja, Hangul → ko, Latin letters → en.</summary>
internal static class LanguageRuns
{
    public static IReadOnlyList<LanguageRun> Of(string text, string? named = null)
    {
        if (named is not null)
        {
            return [new LanguageRun(named, 0, text.Length)];
        }

        var runs = new List<LanguageRun>();
        string? current = null;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var language = Script(text[i]);
            if (language is null || language == current)
            {
                continue; // digits, punctuation and spaces belong to the run they are in
            }

            if (current is not null)
            {
                runs.Add(new LanguageRun(current, start, i - start));
            }

            current = language;
            start = runs.Count == 0 ? 0 : i;
        }

        if (current is not null)
        {
            runs.Add(new LanguageRun(current, start, text.Length - start));
        }

        return runs;
    }

    /// <summary>
    /// The language most of the text is in ("und" when it has no letters), counting a Chinese,
    /// Japanese or Korean character against a whole word of letters: both are about a syllable or two.
    /// </summary>
    public static string Dominant(string text, IReadOnlyList<LanguageRun> runs) =>
        runs.Count == 0 ? "und" : runs.GroupBy(r => r.Language).OrderByDescending(g => g.Sum(r => Weight(text.AsSpan(r.Start, r.Length)))).First().Key;

    private static int Weight(ReadOnlySpan<char> run)
    {
        var weight = 0;
        var inWord = false;
        foreach (var c in run)
        {
            if (Script(c) is "zh" or "ja" or "ko")
            {
                weight++;
                inWord = false;
            }
            else if (char.IsLetter(c))
            {
                weight += inWord ? 0 : 1;
                inWord = true;
            }
            else
            {
                inWord = false;
            }
        }

        return weight;
    }

    private static string? Script(char c) => c switch
    {
        >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' => "zh",
        >= '\u3040' and <= '\u30FF' => "ja",
        >= '\uAC00' and <= '\uD7AF' or >= '\u1100' and <= '\u11FF' => "ko",
        _ when char.IsAsciiLetter(c) || c is >= '\u00C0' and <= '\u024F' => "en",
        _ => null,
    };
}
