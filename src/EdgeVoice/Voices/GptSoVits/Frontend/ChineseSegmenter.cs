namespace EdgeVoice.Voices.GptSoVits.Frontend;

/// <summary>
/// Dictionary word segmentation in the manner of jieba (without its HMM for unknown words): every
/// dictionary word starting at each character forms a DAG, and the route with the highest product of
/// word probabilities wins; a character no word covers stands alone.
/// </summary>
internal sealed class ChineseSegmenter(JiebaWords words)
{
    /// <summary>The words of a run of Chinese characters, each with jieba's part of speech.</summary>
    public List<(string Word, string Tag)> Cut(string text)
    {
        var n = text.Length;
        var best = new double[n + 1];
        var next = new int[n + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            best[i] = double.NegativeInfinity;
            for (var end = i + 1; end <= n; end++)
            {
                var candidate = text[i..end];
                if (end > i + 1 && !words.IsPrefix(candidate))
                {
                    break;
                }

                var frequency = words.Frequency(candidate);
                if (frequency == 0 && end > i + 1)
                {
                    continue;
                }

                var score = Math.Log(Math.Max(frequency, 1)) - words.LogTotal + best[end];
                if (score > best[i])
                {
                    best[i] = score;
                    next[i] = end;
                }
            }
        }

        var result = new List<(string, string)>();
        for (var i = 0; i < n; i = next[i])
        {
            var word = text[i..next[i]];
            result.Add((word, words.Tag(word)));
        }

        return result;
    }
}
