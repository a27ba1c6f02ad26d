namespace EdgeVoice.Text;

/// <summary>
/// Where a sentence without punctuation may be broken with the least harm to its tune: after a
/// content word and before a function word ("Please keep your luggage | with you", "Welcome | to
/// the station"), the places a speaker would take a breath. English words only; elsewhere there is no
/// such place and the caller keeps its own choice.
/// </summary>
internal static class PhraseBreaks
{
    private static readonly HashSet<string> FunctionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our", "their",
        "to", "of", "in", "on", "at", "for", "from", "with", "by", "into", "onto", "over", "under", "about",
        "after", "before", "during", "until", "between", "through", "and", "or", "but", "nor", "so", "as",
        "because", "while", "if", "when", "where", "which", "who", "whom", "whose", "than",
        "is", "are", "was", "were", "will", "would", "can", "could", "should", "may", "might", "must",
        "has", "have", "had", "be", "been",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> FunctionWordSpans = FunctionWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// The last offset in (<paramref name="start"/>, <paramref name="limit"/>] that is a space after a
    /// content word and before a function word, or -1.
    /// </summary>
    public static int LastBefore(string text, int start, int limit)
    {
        for (var i = Math.Min(limit, text.Length - 1); i > start; i--)
        {
            if (!char.IsWhiteSpace(text[i]) || char.IsWhiteSpace(text[i - 1]))
            {
                continue;
            }

            var next = i;
            while (next < text.Length && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (IsFunctionWord(WordAt(text, next, forward: true)) && WordAt(text, i, forward: false) is { Length: > 0 } previous && !IsFunctionWord(previous))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsFunctionWord(ReadOnlySpan<char> word) =>
        word.Length > 0 && FunctionWordSpans.Contains(word);

    /// <summary>The run of letters starting at <paramref name="at"/> (forward) or ending just before it (backward).</summary>
    private static ReadOnlySpan<char> WordAt(string text, int at, bool forward)
    {
        if (forward)
        {
            var end = at;
            while (end < text.Length && char.IsAsciiLetter(text[end]))
            {
                end++;
            }

            return end < text.Length && char.IsLetter(text[end]) ? [] : text.AsSpan(at, end - at);
        }

        var begin = at;
        while (begin > 0 && char.IsAsciiLetter(text[begin - 1]))
        {
            begin--;
        }

        return begin > 0 && char.IsLetter(text[begin - 1]) ? [] : text.AsSpan(begin, at - begin);
    }
}
