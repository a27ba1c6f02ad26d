using System.Text;
using EdgeVoice.Text;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>
/// Text that arrives in pieces (<c>synthesize-chunk</c>), given back sentence by sentence as soon as
/// each is complete: a sentence mark followed by more text or white space (so "3." waits to see
/// whether "3.5" follows), or any piece the segmenter has cut before the text's end. The rest waits
/// for more text, or for <see cref="Finish"/>.
/// </summary>
internal sealed class SentenceStream(int maxSentenceChars)
{
    private readonly Segmenter _segmenter = new(Math.Max(Segmenter.MinChunkChars, maxSentenceChars));
    private readonly StringBuilder _pending = new();

    /// <summary>Characters received so far, all pieces together.</summary>
    public long Received { get; private set; }

    /// <summary>Adds text; returns the sentences it completed, in order.</summary>
    public IReadOnlyList<string> Add(string text)
    {
        _pending.Append(text);
        Received += text.Length;
        return Take(final: false);
    }

    /// <summary>Everything still waiting, as sentences: the text has ended.</summary>
    public IReadOnlyList<string> Finish() => Take(final: true);

    private List<string> Take(bool final)
    {
        var text = _pending.ToString();
        var pieces = _segmenter.Pieces(text, 0, text.Length).ToList();
        var sentences = new List<string>();
        var consumed = 0;
        for (var i = 0; i < pieces.Count; i++)
        {
            var (start, end, boundary) = pieces[i];
            var complete = final || i < pieces.Count - 1 || (boundary == ChunkBoundary.Sentence && end < text.Length);
            if (!complete)
            {
                break;
            }

            sentences.Add(text[start..end]);
            consumed = end;
        }

        if (final)
        {
            _pending.Clear();
        }
        else
        {
            _pending.Remove(0, consumed);
        }

        return sentences;
    }
}
