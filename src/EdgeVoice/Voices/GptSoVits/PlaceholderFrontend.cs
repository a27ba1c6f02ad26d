using System.Globalization;
using System.Text;
using EdgeVoice.Voices.Espeak;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>
/// PLACEHOLDER text frontend, until the Mandarin/English GPT-SoVITS frontend lands: the simplest one
/// that gives valid symbols. English words go through espeak-ng (en-us) and its IPA is mapped to
/// ARPAbet with stress (AH0, EY1); punctuation becomes GPT-SoVITS punctuation; everything else (Chinese
/// characters included) is UNK. A cache made with it records <see cref="Version"/>, so the real
/// frontend rebuilds it.
/// </summary>
internal sealed class PlaceholderFrontend(EspeakLibrary espeak, IReadOnlyDictionary<string, long> symbols)
{
    public const string Version = "placeholder-1";

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

    /// <summary>The phones of <paramref name="text"/>, in GPT-SoVITS's symbols.</summary>
    public List<string> Phones(string text)
    {
        var phones = new List<string>();
        var word = new StringBuilder();
        var english = false;
        void Flush()
        {
            if (word.Length > 0)
            {
                phones.AddRange(ToArpabet(espeak.TextToPhonemes(word.ToString(), "en-us")));
                english = true;
                word.Clear();
            }
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii && (Rune.IsLetterOrDigit(rune) || rune.Value == '\''))
            {
                word.Append(rune.ToString());
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                word.Append(' ');
                continue;
            }

            Flush();
            var punctuation = rune.Value switch
            {
                ',' or '，' or '、' or ';' or '；' or ':' or '：' => ",",
                '.' or '。' => ".",
                '!' or '！' => "!",
                '?' or '？' => "?",
                '…' => "…",
                '-' or '—' or '–' => "-",
                _ => null,
            };
            if (punctuation is not null)
            {
                if (phones.Count == 0 || phones[^1] != punctuation)
                {
                    phones.Add(punctuation);
                }
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                phones.Add("UNK");
            }
        }

        Flush();
        if (english && phones.Count < 4)
        {
            phones.Insert(0, ","); // as GPT-SoVITS does for short English text
        }

        return phones;
    }

    /// <summary>Ids from the bundle's symbol table; a phone it lacks becomes UNK.</summary>
    public long[] Ids(IReadOnlyList<string> phones)
    {
        var unknown = symbols["UNK"];
        return [.. phones.Select(p => symbols.TryGetValue(p, out var id) ? id : unknown)];
    }

    /// <summary>Whether the phones say anything (not only punctuation).</summary>
    public static bool Speakable(IReadOnlyList<string> phones) => phones.Any(p => p.Any(char.IsLetter));

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
