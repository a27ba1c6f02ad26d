using System.Text;
using System.Text.RegularExpressions;
using EdgeVoice.Voices.Espeak;

namespace EdgeVoice.Voices.Piper;

/// <summary>
/// Text to Piper phonemes and phoneme ids, as Piper builds them (shared/contracts/piper.md §4–5):
/// espeak-ng IPA clause by clause with the clause's punctuation appended, language-switch marks
/// removed, Unicode NFD, one phoneme per code point; ids <c>^ _ (p _)* $</c>.
/// </summary>
internal sealed partial class PiperPhonemizer(EspeakLibrary espeak, PiperConfig config)
{
    public IReadOnlyList<string> Phonemize(string text)
    {
        string phonemes;
        if (config.PhonemeType == "text")
        {
            phonemes = text;
        }
        else
        {
            var builder = new StringBuilder();
            foreach (var (clause, mark) in Clauses(text))
            {
                if (clause.Any(char.IsLetterOrDigit))
                {
                    builder.Append(LanguageSwitch().Replace(espeak.TextToPhonemes(clause, config.EspeakVoice), string.Empty));
                }

                builder.Append(mark);
            }

            phonemes = builder.ToString().TrimEnd();
        }

        var result = new List<string>();
        foreach (var rune in phonemes.Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            var phoneme = rune.ToString();
            if (config.PhonemeMap.TryGetValue(phoneme, out var replacements))
            {
                result.AddRange(replacements);
            }
            else
            {
                result.Add(phoneme);
            }
        }

        return result;
    }

    /// <summary>Phoneme ids with Piper's padding; phonemes the voice does not know are skipped and returned in <paramref name="unknown"/>.</summary>
    public long[] ToIds(IReadOnlyList<string> phonemes, List<string> unknown)
    {
        var map = config.PhonemeIdMap;
        var pad = map["_"];
        var ids = new List<long>((phonemes.Count * 2) + 3);
        ids.AddRange(map["^"]);
        ids.AddRange(pad);
        foreach (var phoneme in phonemes)
        {
            if (!map.TryGetValue(phoneme, out var mapped))
            {
                unknown.Add(phoneme);
                continue;
            }

            ids.AddRange(mapped);
            ids.AddRange(pad);
        }

        ids.AddRange(map["$"]);
        return [.. ids];
    }

    /// <summary>
    /// Splits a chunk at its clause and sentence marks, as espeak-ng would, pairing each clause with
    /// the punctuation Piper appends for it: <c>. ? !</c> alone, <c>, : ;</c> followed by a space.
    /// </summary>
    internal static IEnumerable<(string Clause, string Mark)> Clauses(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var mark = MarkFor(text[i]);
            var endsWord = i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1]) || IsCjkMark(text[i]) ||
                           (MarkFor(text[i + 1]) is null && !char.IsLetterOrDigit(text[i + 1]));
            if (mark is null || !endsWord)
            {
                continue;
            }

            yield return (text[start..i].Trim().TrimEnd(MarkCharacters), mark);
            start = i + 1;
        }

        var rest = text[start..].Trim();
        if (rest.Length > 0)
        {
            yield return (rest, string.Empty);
        }
    }

    private static readonly char[] MarkCharacters = ['.', '。', '…', '｡', '!', '！', '?', '？', ',', '，', '、', ':', '：', ';', '；'];

    private static string? MarkFor(char c) => c switch
    {
        '.' or '。' or '…' or '｡' => ".",
        '!' or '！' => "!",
        '?' or '？' => "?",
        ',' or '，' or '、' => ", ",
        ':' or '：' => ": ",
        ';' or '；' => "; ",
        _ => null,
    };

    private static bool IsCjkMark(char c) => c is '。' or '！' or '？' or '，' or '、' or '：' or '；' or '｡';

    [GeneratedRegex(@"\([^)]+\)", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageSwitch();
}
