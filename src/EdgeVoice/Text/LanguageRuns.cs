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

        // Most chunks are in one script: say so without building a list.
        string? only = null;
        var mixed = false;
        foreach (var c in text)
        {
            if (Language(c) is { } script && script != only)
            {
                mixed = only is not null;
                only = script;
                if (mixed)
                {
                    break;
                }
            }
        }

        if (!mixed)
        {
            return only is null ? [] : [new LanguageRun(only, 0, text.Length)];
        }

        var runs = new List<LanguageRun>();
        string? current = null;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var language = Language(text[i]);
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
    public static string Dominant(string text, IReadOnlyList<LanguageRun> runs)
    {
        if (runs.Count == 1)
        {
            return runs[0].Language;
        }

        // A handful of runs at most: total the weight per language without allocating.
        string? best = null;
        var bestWeight = -1;
        for (var i = 0; i < runs.Count; i++)
        {
            var language = runs[i].Language;
            var seenBefore = false;
            for (var j = 0; j < i && !seenBefore; j++)
            {
                seenBefore = runs[j].Language == language;
            }

            if (seenBefore)
            {
                continue;
            }

            var weight = 0;
            for (var j = i; j < runs.Count; j++)
            {
                if (runs[j].Language == language)
                {
                    weight += Weight(text.AsSpan(runs[j].Start, runs[j].Length));
                }
            }

            if (weight > bestWeight)
            {
                (best, bestWeight) = (language, weight);
            }
        }

        return best ?? "und";
    }

    private static int Weight(ReadOnlySpan<char> run)
    {
        var weight = 0;
        var inWord = false;
        foreach (var c in run)
        {
            if (Script.Classify(c) is ScriptKind.Han or ScriptKind.Kana or ScriptKind.Hangul)
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

    private static string? Language(char c) => Script.Classify(c) switch
    {
        ScriptKind.Han => "zh",
        ScriptKind.Kana => "ja",
        ScriptKind.Hangul => "ko",
        ScriptKind.Latin => "en",
        _ => null,
    };
}
