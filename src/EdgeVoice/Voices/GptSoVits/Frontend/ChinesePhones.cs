namespace EdgeVoice.Voices.GptSoVits.Frontend;

/// <summary>
/// Mandarin text to GPT-SoVITS phones and word2ph: jieba-style segmentation, readings by word (which
/// resolves polyphones such as 银行 / 行走) and else by each character's most common reading, the
/// merges and tone sandhi GPT-SoVITS applies, erhua, then two phones a character and one a punctuation
/// mark. Characters with no reading become UNK.
/// </summary>
internal sealed class ChinesePhones(FrontendData data)
{
    private readonly ChineseSegmenter _segmenter = new(data.Words);
    private readonly ToneSandhi _sandhi = new(data.Words);

    /// <summary>Phones of a run of Chinese text (characters and the punctuation , . ! ? … -), and how many phones each character made.</summary>
    public (List<string> Phones, List<int> WordToPhones) Convert(string run)
    {
        var phones = new List<string>();
        var word2ph = new List<int>();
        foreach (var piece in Pieces(run))
        {
            if (piece.Length == 1 && GptSoVitsFrontend.IsPunctuation(piece))
            {
                phones.Add(piece);
                word2ph.Add(1);
                continue;
            }

            // Readings come from the whole piece, so a dictionary word across the segmenter's cut (还/钱) still decides its polyphones.
            var readings = Readings(piece);
            var words = ToneSandhi.Merge(_segmenter.Cut(piece), readings);
            var at = 0;
            foreach (var (word, tag) in words)
            {
                var finals = readings[at..(at + word.Length)];
                at += word.Length;
                _sandhi.Apply(word, tag, finals);
                Erhua(word, finals);
                foreach (var reading in finals)
                {
                    if (PinyinPhones.TryConvert(reading, out var initial, out var final))
                    {
                        phones.Add(initial);
                        phones.Add(final);
                        word2ph.Add(2);
                    }
                    else
                    {
                        phones.Add("UNK");
                        word2ph.Add(1);
                    }
                }
            }
        }

        return (phones, word2ph);
    }

    /// <summary>One reading per character: the word's own when the dictionary has it, else the longest known words inside it, else each character's most common reading.</summary>
    public string[] Readings(string word)
    {
        if (data.Phrases.TryGetValue(word, out var whole))
        {
            return [.. whole];
        }

        var result = new string[word.Length];
        for (var i = 0; i < word.Length;)
        {
            var matched = 0;
            for (var length = Math.Min(word.Length - i, 8); length >= 2 && matched == 0; length--)
            {
                if (data.Phrases.TryGetValue(word.Substring(i, length), out var part))
                {
                    part.CopyTo(result, i);
                    matched = length;
                }
            }

            if (matched == 0)
            {
                result[i] = data.Characters.TryGetValue(word[i].ToString(), out var readings) ? readings[0] : "?";
                matched = 1;
            }

            i += matched;
        }

        return result;
    }

    /// <summary>Runs of characters between punctuation marks, each mark a piece of its own.</summary>
    private static IEnumerable<string> Pieces(string run)
    {
        var start = 0;
        for (var i = 0; i < run.Length; i++)
        {
            if (GptSoVitsFrontend.IsPunctuation(run[i].ToString()))
            {
                if (i > start)
                {
                    yield return run[start..i];
                }

                yield return run[i].ToString();
                start = i + 1;
            }
        }

        if (start < run.Length)
        {
            yield return run[start..];
        }
    }

    /// <summary>Words whose 儿 is a syllable of its own (GPT-SoVITS's not_erhua).</summary>
    private static readonly HashSet<string> NotErhua = new(StringComparer.Ordinal)
    {
        "虐儿", "为儿", "护儿", "瞒儿", "救儿", "替儿", "有儿", "一儿", "我儿", "俺儿", "妻儿", "拐儿", "聋儿", "乞儿", "患儿", "幼儿",
        "孤儿", "婴儿", "婴幼儿", "连体儿", "脑瘫儿", "流浪儿", "体弱儿", "混血儿", "蜜雪儿", "舫儿", "祖儿", "美儿", "应采儿", "可儿",
        "侄儿", "孙儿", "侄孙儿", "女儿", "男儿", "红孩儿", "花儿", "虫儿", "马儿", "鸟儿", "猪儿", "猫儿", "狗儿", "少儿",
    };

    /// <summary>Erhua (一点儿): the final 儿 keeps its er phone but takes the tone of the syllable before it.</summary>
    private static void Erhua(string word, string[] finals)
    {
        if (word.Length >= 2 && word[^1] == '儿' && finals[^1] is "er2" or "er5" && !NotErhua.Contains(word) && !NotErhua.Contains(word[^2..]))
        {
            finals[^1] = "er" + finals[^2][^1];
        }
    }
}
