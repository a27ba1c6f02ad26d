namespace EdgeVoice.Voices.GptSoVits.Frontend;

/// <summary>
/// A pinyin syllable with its tone (<c>zhong1</c>, <c>yuan2</c>, <c>lv4</c>, <c>de5</c>) as GPT-SoVITS's
/// two phones: the initial, and the final with the tone (the opencpop-strict table): <c>zh ong1</c>,
/// <c>zh ir4</c> (zhi, chi, shi, ri), <c>s i0</c> (zi, ci, si), <c>j v1</c>, <c>y van2</c>, <c>y E4</c>;
/// syllables with no initial take <c>AA</c>, <c>EE</c> or <c>OO</c> (<c>AA a1</c>, <c>EE er2</c>).
/// </summary>
internal static class PinyinPhones
{
    private static readonly string[] Initials = ["zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s"];

    private static readonly Dictionary<string, string> YFinals = new(StringComparer.Ordinal)
    {
        ["a"] = "a", ["an"] = "En", ["ang"] = "ang", ["ao"] = "ao", ["e"] = "E", ["i"] = "i", ["in"] = "in", ["ing"] = "ing",
        ["o"] = "o", ["ong"] = "ong", ["ou"] = "ou", ["u"] = "v", ["uan"] = "van", ["ue"] = "ve", ["un"] = "vn",
    };

    private static readonly HashSet<string> Finals = new(StringComparer.Ordinal)
    {
        "a", "ai", "an", "ang", "ao", "e", "ei", "en", "eng", "er", "i", "ia", "ian", "iang", "iao", "ie", "in", "ing", "iong", "iu",
        "o", "ong", "ou", "u", "ua", "uai", "uan", "uang", "ui", "un", "uo", "v", "ve", "van", "vn", "ir", "i0", "E", "En",
    };

    private static readonly HashSet<string> WFinals = new(StringComparer.Ordinal) { "a", "ai", "an", "ang", "ei", "en", "eng", "o", "u" };

    /// <summary>The two phones of <paramref name="syllable"/>, or false when it is not a Mandarin syllable.</summary>
    public static bool TryConvert(string syllable, out string initial, out string final)
    {
        initial = final = string.Empty;
        if (syllable.Length < 2 || syllable[^1] is < '1' or > '5')
        {
            return false;
        }

        var tone = syllable[^1];
        var body = syllable[..^1].Replace("ü", "v", StringComparison.Ordinal).Replace("u:", "v", StringComparison.Ordinal);
        string rest;
        if (body[0] == 'y')
        {
            rest = body[1..];
            if (!YFinals.TryGetValue(rest, out var y))
            {
                return false;
            }

            (initial, final) = ("y", y);
        }
        else if (body[0] == 'w')
        {
            rest = body[1..];
            if (!WFinals.Contains(rest))
            {
                return false;
            }

            (initial, final) = ("w", rest);
        }
        else if (body[0] is 'a' or 'e' or 'o')
        {
            initial = body[0] switch { 'a' => "AA", 'e' => "EE", _ => "OO" };
            final = body;
        }
        else
        {
            var head = Array.Find(Initials, i => body.StartsWith(i, StringComparison.Ordinal));
            if (head is null || body.Length == head.Length)
            {
                return false;
            }

            rest = body[head.Length..];
            initial = head;
            final = rest switch
            {
                "i" when head is "zh" or "ch" or "sh" or "r" => "ir",
                "i" when head is "z" or "c" or "s" => "i0",
                _ when head is "j" or "q" or "x" && rest.StartsWith('u') => "v" + rest[1..],
                _ => rest,
            };
        }

        if (!Finals.Contains(final))
        {
            return false;
        }

        final += tone;
        return true;
    }
}
