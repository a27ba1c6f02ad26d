using System.Globalization;

namespace EdgeVoice.Text;

/// <summary>
/// Where text is cut: into pieces of at most <see cref="MaxChunkChars"/> characters, lazily (each
/// cut looks at most one chunk ahead, so the first chunk of a long text is ready at once and memory
/// does not grow with the text).
/// </summary>
/// <remarks>
/// Each sentence becomes its own piece when it fits (the unit neural voices synthesise best, and a
/// short first sentence means early first audio). A longer sentence is cut at the strongest boundary
/// inside the limit: a clause mark, else a phrase mark (dash, bracket, quote), else a space, else
/// between two characters; never inside a grapheme cluster, and never inside a run of Latin letters
/// and digits (a word, a number, a URL, an English name inside Chinese) unless that run alone is
/// longer than the limit. Chinese and Japanese need no spaces: their punctuation does the same work.
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

    /// <summary>Cuts a whole text into chunks of its own characters (no normalisation).</summary>
    public IEnumerable<TextChunk> Segment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Pieces(text, 0, text.Length).Select((p, i) => new TextChunk(i, text[p.Start..p.End].Trim(), p.Start, p.End - p.Start, p.Boundary));
    }

    /// <summary>The pieces of <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>), white space trimmed off their ends.</summary>
    /// <param name="text">The text.</param>
    /// <param name="start">Where to begin.</param>
    /// <param name="end">Where to stop.</param>
    /// <param name="firstChunkChars">
    /// When above 0, the first piece is cut short (see <see cref="FirstEnd"/>) if it would be longer
    /// than this: the first audio of an utterance comes sooner.
    /// </param>
    public IEnumerable<(int Start, int End, ChunkBoundary Boundary)> Pieces(string text, int start, int end, int firstChunkChars = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = start;
        var first = firstChunkChars > 0;
        while (true)
        {
            while (position < end && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            if (position >= end)
            {
                yield break;
            }

            var (cut, boundary) = FindEnd(text, position, end, MaxChunkChars);
            if (first)
            {
                (cut, boundary) = FirstEnd(text, position, cut, boundary, firstChunkChars);
                first = false;
            }

            var last = cut;
            while (last > position && char.IsWhiteSpace(text[last - 1]))
            {
                last--;
            }

            if (last > position)
            {
                yield return (position, last, boundary);
            }

            position = cut;
        }
    }

    /// <summary>
    /// The end of an utterance's first piece: when the piece as usually cut (ending at
    /// <paramref name="end"/>) is longer than <paramref name="firstChunkChars"/>, the strongest
    /// boundary inside that many characters (a sentence end, a clause mark, a phrase mark, a space;
    /// never between two characters; between words, preferably before a function word, see
    /// <see cref="PhraseBreaks"/>), provided what it leaves of the piece is at least half as long
    /// again, so the rest is not a lone word. Otherwise the piece unchanged.
    /// </summary>
    private static (int End, ChunkBoundary Boundary) FirstEnd(string text, int start, int end, ChunkBoundary boundary, int firstChunkChars)
    {
        if (end - start <= firstChunkChars)
        {
            return (end, boundary);
        }

        var (cut, shortBoundary) = FindEnd(text, start, end, firstChunkChars);
        if (shortBoundary == ChunkBoundary.Word && PhraseBreaks.LastBefore(text, start, cut) is > 0 and var phrase)
        {
            // Between words, the place a speaker would breathe: after a content word, before a function word.
            cut = phrase;
        }

        if (shortBoundary == ChunkBoundary.Character || cut <= start || end - cut < firstChunkChars / 2)
        {
            return (end, boundary);
        }

        return (cut, shortBoundary);
    }

    private static (int End, ChunkBoundary Boundary) FindEnd(string text, int start, int end, int maxChars)
    {
        var limit = Math.Min(end, start + maxChars);

        var sentenceEnd = FirstSentenceEnd(text, start, limit, end);
        if (sentenceEnd > 0)
        {
            return (sentenceEnd, ChunkBoundary.Sentence);
        }

        if (limit == end)
        {
            return (limit, ChunkBoundary.End);
        }

        var clauseEnd = LastClauseEnd(text, start, limit, end);
        if (clauseEnd > 0)
        {
            return (clauseEnd, ChunkBoundary.Clause);
        }

        var phraseEnd = LastPhraseEnd(text, start, limit);
        if (phraseEnd > 0)
        {
            return (phraseEnd, ChunkBoundary.Phrase);
        }

        for (var i = limit; i > start; i--)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return (i, ChunkBoundary.Word);
            }
        }

        return (CharacterCut(text, start, limit, end), ChunkBoundary.Character);
    }

    private static readonly System.Buffers.SearchValues<char> SentenceMarks = System.Buffers.SearchValues.Create(".!?…。！？｡\n\r");

    /// <summary>The offset just past the first sentence end in [start, limit), or -1.</summary>
    private static int FirstSentenceEnd(string text, int start, int limit, int end)
    {
        for (var i = start; i < limit; i++)
        {
            // Jump to the next candidate mark (vectorised); most characters are not one.
            var next = text.AsSpan(i, limit - i).IndexOfAny(SentenceMarks);
            if (next < 0)
            {
                return -1;
            }

            i += next;
            var c = text[i];
            if (c is '\n' or '\r')
            {
                return i + 1;
            }

            if (IsCjkSentenceMark(c) || (IsLatinSentenceMark(c) && EndsWord(text, i + 1, end) && !AfterAbbreviation(text, i, start)))
            {
                return SkipClosers(text, i + 1, limit);
            }
        }

        return -1;
    }

    /// <summary>"Dr. Smith": the full stop of an abbreviation does not end the sentence.</summary>
    private static bool AfterAbbreviation(string text, int dot, int start)
    {
        if (text[dot] != '.')
        {
            return false;
        }

        var wordStart = dot;
        while (wordStart > start && char.IsAsciiLetter(text[wordStart - 1]))
        {
            wordStart--;
        }

        return wordStart < dot && Normalization.Normalizer.IsAbbreviation(text.AsSpan(wordStart, dot - wordStart));
    }

    /// <summary>The offset just past the last clause mark in (start, limit), or -1.</summary>
    private static int LastClauseEnd(string text, int start, int limit, int end)
    {
        for (var i = limit - 1; i > start; i--)
        {
            var c = text[i];
            if (IsCjkClauseMark(c) || (IsLatinClauseMark(c) && EndsWord(text, i + 1, end)))
            {
                return SkipClosers(text, i + 1, limit);
            }
        }

        return -1;
    }

    /// <summary>
    /// The last place in (start, limit] just after a closing bracket, quote or dash, or just before an
    /// opening one, where that is not inside a token (<c>Foo_(bar)</c> in a URL stays whole); or -1.
    /// </summary>
    private static int LastPhraseEnd(string text, int start, int limit)
    {
        for (var i = limit - 1; i > start; i--)
        {
            var c = text[i];
            if (IsPhraseCloser(c) && (i + 1 >= text.Length || !InsideToken(c, text[i + 1])))
            {
                return i + 1;
            }

            if (IsPhraseOpener(c) && !InsideToken(text[i - 1], c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The last grapheme boundary in (start, limit] that is not inside a run of Latin letters and
    /// digits; when the run itself is longer than the limit, the last grapheme boundary.
    /// </summary>
    private static int CharacterCut(string text, int start, int limit, int end)
    {
        var best = -1;
        var lastBoundary = -1;
        var position = start;
        while (position < end)
        {
            var length = StringInfo.GetNextTextElementLength(text.AsSpan(position, end - position));
            if (length == 0 || position + length > limit)
            {
                break;
            }

            position += length;
            lastBoundary = position;
            if (position >= end || !InsideToken(text[position - 1], text[position]))
            {
                best = position;
            }
        }

        if (best > start)
        {
            return best;
        }

        if (lastBoundary > start)
        {
            return lastBoundary;
        }

        // One grapheme cluster longer than the limit (a long run of combining marks): take it whole.
        return start + Math.Max(1, StringInfo.GetNextTextElementLength(text.AsSpan(start, end - start)));
    }

    /// <summary>
    /// Between these two characters a last-resort cut would split a token: a word, a number with
    /// its signs and units (第3名, 3.5%, $5), a URL; that is, anything but white space and Chinese,
    /// Japanese or Korean script on both sides, or a digit on either side.
    /// </summary>
    private static bool InsideToken(char before, char after)
    {
        if (char.IsWhiteSpace(before) || char.IsWhiteSpace(after))
        {
            return false;
        }

        if (char.IsAsciiDigit(before) || char.IsAsciiDigit(after))
        {
            return true;
        }

        return !Script.IsCjk(before) && !Script.IsCjk(after) && !IsCjkPunctuation(before) && !IsCjkPunctuation(after);
    }

    private static bool IsCjkPunctuation(char c) => c is >= '　' and <= '〿' or >= '＀' and <= '･';

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
    private static bool EndsWord(string text, int next, int end) =>
        next >= end || char.IsWhiteSpace(text[next]) || IsCloser(text[next]);

    private static bool IsLatinSentenceMark(char c) => c is '.' or '!' or '?' or '…';

    private static bool IsCjkSentenceMark(char c) => c is '。' or '！' or '？' or '｡';

    private static bool IsLatinClauseMark(char c) => c is ',' or ';' or ':';

    private static bool IsCjkClauseMark(char c) => c is '，' or '；' or '：' or '、';

    private static bool IsCloser(char c) => c is '"' or '\'' or ')' or ']' or '”' or '’' or '」' or '』' or '）' or '》';

    private static bool IsPhraseCloser(char c) => c is ')' or ']' or '”' or '」' or '』' or '）' or '》' or '—' or '–';

    private static bool IsPhraseOpener(char c) => c is '(' or '[' or '“' or '「' or '『' or '（' or '《';
}
