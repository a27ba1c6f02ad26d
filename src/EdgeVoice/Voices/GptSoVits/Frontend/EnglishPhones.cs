using System.Globalization;
using EdgeVoice.Voices.Espeak;

namespace EdgeVoice.Voices.GptSoVits.Frontend;

/// <summary>
/// English words to ARPAbet with stress, as GPT-SoVITS's English frontend does: the CMU dictionary;
/// single letters and acronyms spelled letter by letter; <c>'s</c> as S, Z or AH0 Z by the sound before
/// it; short unknown words spelled; other unknown words through espeak-ng (its IPA mapped to ARPAbet).
/// </summary>
internal sealed class EnglishPhones(FrontendData data, EspeakLibrary espeak)
{
    private static readonly string[] LetterNames =
    [
        "EY1", "B IY1", "S IY1", "D IY1", "IY1", "EH1 F", "JH IY1", "EY1 CH", "AY1", "JH EY1", "K EY1", "EH1 L", "EH1 M",
        "EH1 N", "OW1", "P IY1", "K Y UW1", "AA1 R", "EH1 S", "T IY1", "Y UW1", "V IY1", "D AH1 B AH0 L Y UW0", "EH1 K S", "W AY1", "Z IY1",
    ];

    /// <summary>Phones of one word (letters and apostrophes).</summary>
    public IEnumerable<string> Word(string word)
    {
        var lower = word.ToLowerInvariant();
        if (word.Length == 1)
        {
            return Spell(word);
        }

        // An acronym (NASA is in the dictionary and is said as a word; GPU is not and is spelled).
        if (word.All(char.IsUpper) && !data.Cmu.ContainsKey(lower))
        {
            return Spell(word);
        }

        if (data.Cmu.TryGetValue(lower, out var known))
        {
            return known;
        }

        if (lower.EndsWith("'s", StringComparison.Ordinal) && lower.Length > 2)
        {
            var stem = Word(word[..^2]).ToList();
            var last = stem.Count > 0 ? stem[^1] : string.Empty;
            var suffix = last is "S" or "Z" or "SH" or "ZH" or "CH" or "JH" ? ["AH0", "Z"]
                : last is "P" or "T" or "K" or "F" or "TH" ? new[] { "S" }
                : ["Z"];
            return [.. stem, .. suffix];
        }

        var letters = new string(lower.Where(char.IsLetter).ToArray());
        if (letters.Length == 0)
        {
            return [];
        }

        if (letters.Length <= 3)
        {
            return Spell(letters);
        }

        return ToArpabet(espeak.TextToPhonemes(letters, "en-us")).ToList();
    }

    private static IEnumerable<string> Spell(string letters) =>
        letters.Where(char.IsAsciiLetter).SelectMany(c => LetterNames[char.ToLowerInvariant(c) - 'a'].Split(' '));

    /// <summary>espeak-ng's en-us IPA to ARPAbet, longest symbols first.</summary>
    private static readonly (string Ipa, string Arpabet, bool Vowel)[] Table =
    [
        ("aɪ", "AY", true), ("aʊ", "AW", true), ("eɪ", "EY", true), ("oʊ", "OW", true), ("ɔɪ", "OY", true),
        ("ɑː", "AA", true), ("ɜː", "ER", true), ("ɔː", "AO", true), ("iː", "IY", true), ("uː", "UW", true),
        ("tʃ", "CH", false), ("dʒ", "JH", false),
        ("ɑ", "AA", true), ("æ", "AE", true), ("ʌ", "AH", true), ("ɐ", "AH", true), ("ə", "AH", true), ("ɚ", "ER", true),
        ("ɝ", "ER", true), ("ɔ", "AO", true), ("ɛ", "EH", true), ("ɪ", "IH", true), ("ᵻ", "IH", true), ("i", "IY", true),
        ("ʊ", "UH", true), ("u", "UW", true), ("o", "OW", true), ("e", "EH", true), ("a", "AA", true),
        ("b", "B", false), ("d", "D", false), ("ð", "DH", false), ("f", "F", false), ("ɡ", "G", false), ("g", "G", false),
        ("h", "HH", false), ("k", "K", false), ("l", "L", false), ("m", "M", false), ("n", "N", false), ("ŋ", "NG", false),
        ("p", "P", false), ("ɹ", "R", false), ("r", "R", false), ("s", "S", false), ("ʃ", "SH", false), ("t", "T", false),
        ("θ", "TH", false), ("v", "V", false), ("w", "W", false), ("j", "Y", false), ("z", "Z", false), ("ʒ", "ZH", false),
        ("ɾ", "T", false), ("ʔ", "T", false), ("x", "HH", false),
    ];

    /// <summary>espeak-ng IPA as ARPAbet; the stress marks go to the next vowel (AH0, EY1).</summary>
    internal static IEnumerable<string> ToArpabet(string ipa)
    {
        var stress = '0';
        var i = 0;
        while (i < ipa.Length)
        {
            var c = ipa[i];
            if (c is 'ˈ' or 'ˌ')
            {
                stress = c == 'ˈ' ? '1' : '2';
                i++;
                continue;
            }

            var match = Array.Find(Table, t => string.CompareOrdinal(ipa, i, t.Ipa, 0, t.Ipa.Length) == 0);
            if (match.Ipa is null)
            {
                i++; // length marks, syllabic marks, spaces, anything else
                continue;
            }

            i += match.Ipa.Length;
            if (match.Vowel)
            {
                yield return match.Arpabet + stress.ToString(CultureInfo.InvariantCulture);
                stress = '0';
            }
            else
            {
                yield return match.Arpabet;
            }
        }
    }
}
