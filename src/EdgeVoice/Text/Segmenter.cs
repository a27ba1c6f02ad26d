namespace EdgeVoice.Text;

/// <summary>
/// Cuts text into chunks of at most <see cref="MaxChunkChars"/> characters, lazily: each chunk is
/// found by looking at most one chunk ahead, so the first chunk of a long text is ready at once and
/// memory does not grow with the text.
/// </summary>
/// <remarks>
/// Each sentence becomes its own chunk when it fits (the unit neural voices synthesise best, and
/// a short first sentence means early first audio). A longer sentence is cut at its last clause
/// mark inside the limit, else at its last space, else between two characters (never inside a
/// surrogate pair).
/// </remarks>
internal sealed class Segmenter
{
    public const int MinChunkChars = 8;

    public Segmenter(int maxChunkChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkChars, MinChunkChars);
        MaxChunkChars = maxChunkChars;
    }

    public int MaxChunkChars { get; }

    public IEnumerable<TextChunk> Segment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Iterate(text);
    }

    private IEnumerable<TextChunk> Iterate(string text)
    {
        var index = 0;
        var position = 0;
        while (true)
        {
            position = SkipWhiteSpace(text, position);
            if (position >= text.Length)
            {
                yield break;
            }

            var (end, boundary) = FindEnd(text, position);
            var chunk = text.AsSpan(position, end - position).TrimEnd();
            if (!chunk.IsEmpty)
            {
                yield return new TextChunk(index++, chunk.ToString(), position, end - position, boundary);
            }

            position = end;
        }
    }

    private (int End, ChunkBoundary Boundary) FindEnd(string text, int start)
    {
        var limit = Math.Min(text.Length, start + MaxChunkChars);

        var sentenceEnd = FirstSentenceEnd(text, start, limit);
        if (sentenceEnd > 0)
        {
            return (sentenceEnd, ChunkBoundary.Sentence);
        }

        if (limit == text.Length)
        {
            return (limit, ChunkBoundary.End);
        }

        var clauseEnd = LastClauseEnd(text, start, limit);
        if (clauseEnd > 0)
        {
            return (clauseEnd, ChunkBoundary.Clause);
        }

        for (var i = limit; i > start; i--)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return (i, ChunkBoundary.Word);
            }
        }

        var cut = char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
        return (cut, ChunkBoundary.Character);
    }

    /// <summary>The offset just past the first sentence end in [start, limit), or -1.</summary>
    private static int FirstSentenceEnd(string text, int start, int limit)
    {
        for (var i = start; i < limit; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                return i + 1;
            }

            if (IsCjkSentenceMark(c) || (IsLatinSentenceMark(c) && EndsWord(text, i + 1)))
            {
                var end = SkipClosers(text, i + 1, limit);
                return end;
            }
        }

        return -1;
    }

    /// <summary>The offset just past the last clause mark in [start, limit), or -1.</summary>
    private static int LastClauseEnd(string text, int start, int limit)
    {
        for (var i = limit - 1; i > start; i--)
        {
            var c = text[i];
            if (IsCjkClauseMark(c) || (IsLatinClauseMark(c) && EndsWord(text, i + 1)))
            {
                return SkipClosers(text, i + 1, limit);
            }
        }

        return -1;
    }

    private static int SkipWhiteSpace(string text, int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position;
    }

    /// <summary>Closing quotes and brackets after a mark belong to the chunk that the mark ends.</summary>
    private static int SkipClosers(string text, int position, int limit)
    {
        while (position < limit && IsCloser(text[position]))
        {
            position++;
        }

        return position;
    }

    /// <summary>A Latin mark ends a sentence or clause only before a space or the end ("3.5" and "a,b" stay whole).</summary>
    private static bool EndsWord(string text, int next) =>
        next >= text.Length || char.IsWhiteSpace(text[next]) || IsCloser(text[next]);

    private static bool IsLatinSentenceMark(char c) => c is '.' or '!' or '?' or '…';

    private static bool IsCjkSentenceMark(char c) => c is '。' or '！' or '？' or '｡';

    private static bool IsLatinClauseMark(char c) => c is ',' or ';' or ':';

    private static bool IsCjkClauseMark(char c) => c is '，' or '；' or '：' or '、';

    private static bool IsCloser(char c) => c is '"' or '\'' or ')' or ']' or '”' or '’' or '」' or '』' or '）' or '》';
}
