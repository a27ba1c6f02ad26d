using System.Collections;
using EdgeVoice.Text.Normalization;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Text;

/// <summary>What a request's text is written in.</summary>
internal enum TextFormat
{
    /// <summary>Plain text, with inline markers such as <c>[uv_break]</c> and <c>[speed_1.2]</c>.</summary>
    Text,
    /// <summary>The SSML subset of <see cref="Ssml"/>.</summary>
    Ssml,
}

/// <summary>
/// The Text stage: markers (or SSML) split the request into segments with their prosody, the
/// segmenter cuts each, and each piece is normalised into what is said (and cut again if
/// normalising made it longer than the limit). All of it lazily, one chunk at a time.
/// </summary>
internal sealed class TextPlanner(IOptions<TextOptions> options)
{
    public TextPlan Plan(string text, TextFormat format = TextFormat.Text) => new(text, format, options.Value);
}

/// <summary>The chunks of one request, produced as they are enumerated, and the warnings met on the way.</summary>
internal sealed class TextPlan(string text, TextFormat format, TextOptions options) : IEnumerable<TextChunk>
{
    private readonly Segmenter _segmenter = new(options.MaxChunkChars);
    private long _silenceMs;
    private bool _pauseShortened;
    private bool _silenceCapped;

    /// <summary>Things that were not said as written (an unknown marker, an unsupported SSML element), each once.</summary>
    public List<string> Warnings { get; } = [];

    public IEnumerator<TextChunk> GetEnumerator()
    {
        _silenceMs = 0;
        var segments = format == TextFormat.Ssml ? Ssml.Read(text, options, Warnings) : Markers.Read(text, options, Warnings);
        TextChunk? held = null;
        var index = 0;
        var pause = 0;
        foreach (var segment in segments)
        {
            pause += segment.PauseBeforeMs;
            // Until the utterance has its first chunk, the segmenter cuts that chunk short.
            foreach (var (start, end, boundary) in _segmenter.Pieces(segment.Source, segment.Start, segment.End, index == 0 ? options.FirstChunkChars : 0))
            {
                var said = Normalizer.Normalize(segment.Source, start, end);
                if (!HasLetterOrDigit(said))
                {
                    continue; // punctuation alone says nothing
                }

                if (said.Length <= _segmenter.MaxChunkChars)
                {
                    // The usual case: the piece is one chunk.
                    if (Emit(Chunk(index++, said, segment, start, end, boundary), ref held, ref pause) is { } ready)
                    {
                        yield return Bounded(ready);
                    }

                    continue;
                }

                // Normalising made it longer than the limit (numbers read out): cut the words again.
                foreach (var (pieceStart, pieceEnd, pieceBoundary) in _segmenter.Pieces(said, 0, said.Length))
                {
                    var chunk = Chunk(index++, said[pieceStart..pieceEnd], segment, start, end, pieceEnd == said.Length ? boundary : pieceBoundary);
                    if (Emit(chunk, ref held, ref pause) is { } ready)
                    {
                        yield return Bounded(ready);
                    }
                }
            }

            pause += segment.PauseAfterMs;
        }

        if (held is not null)
        {
            yield return Bounded(held with { PauseAfterMs = held.PauseAfterMs + pause });
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The chunk with its pauses within <c>Text:MaxPauseMs</c> each and the request's silence within
    /// <c>Text:MaxSilenceMs</c>; each kind of shortening is reported once as a warning.
    /// </summary>
    private TextChunk Bounded(TextChunk chunk)
    {
        var before = Bound(chunk.PauseBeforeMs);
        var after = Bound(chunk.PauseAfterMs);
        return before == chunk.PauseBeforeMs && after == chunk.PauseAfterMs ? chunk : chunk with { PauseBeforeMs = before, PauseAfterMs = after };
    }

    private int Bound(int pauseMs)
    {
        if (pauseMs <= 0)
        {
            return 0;
        }

        var pause = pauseMs;
        if (pause > options.MaxPauseMs)
        {
            pause = options.MaxPauseMs;
            if (!_pauseShortened)
            {
                _pauseShortened = true;
                Warnings.Add($"a pause of {pauseMs} ms was shortened to {options.MaxPauseMs} ms (Text:MaxPauseMs)");
            }
        }

        var left = Math.Max(0, options.MaxSilenceMs - _silenceMs);
        if (pause > left)
        {
            pause = (int)left;
            if (!_silenceCapped)
            {
                _silenceCapped = true;
                Warnings.Add($"the request's pauses add up to more than {options.MaxSilenceMs} ms (Text:MaxSilenceMs); the rest of them were left out");
            }
        }

        _silenceMs += pause;
        return pause;
    }

    private static TextChunk Chunk(int index, string words, TextSegment segment, int start, int end, ChunkBoundary boundary)
    {
        var runs = LanguageRuns.Of(words, segment.Language);
        return new TextChunk(index, words, segment.SourceOffset + start, end - start, boundary)
        {
            Speed = segment.Speed,
            Languages = runs,
            Language = LanguageRuns.Dominant(words, runs),
        };
    }

    /// <summary>
    /// Holds each chunk back until the next one exists, so that a pause between them becomes the
    /// first one's pause after (before the first chunk, its pause before). Returns the chunk that is ready, if any.
    /// </summary>
    private static TextChunk? Emit(TextChunk chunk, ref TextChunk? held, ref int pause)
    {
        TextChunk? ready = null;
        if (held is null)
        {
            held = pause == 0 ? chunk : chunk with { PauseBeforeMs = pause };
        }
        else
        {
            ready = pause == 0 ? held : held with { PauseAfterMs = held.PauseAfterMs + pause };
            held = chunk;
        }

        pause = 0;
        return ready;
    }

    private static bool HasLetterOrDigit(string text)
    {
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                return true;
            }
        }

        return false;
    }
}
