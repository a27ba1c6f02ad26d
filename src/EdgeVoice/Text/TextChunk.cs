using System.Text.Json.Serialization;

namespace EdgeVoice.Text;

/// <summary>How the segmenter ended a chunk: the strongest boundary it found inside the limit.</summary>
internal enum ChunkBoundary
{
    /// <summary>The text (or a run of it between markers) ended.</summary>
    [JsonStringEnumMemberName("end")]
    End,
    /// <summary>A sentence terminator (<c>. ! ? 。 ！ ？</c>) or a line break.</summary>
    [JsonStringEnumMemberName("sentence")]
    Sentence,
    /// <summary>A clause mark (<c>, ; : ， ； ： 、</c>): the sentence was longer than the limit.</summary>
    [JsonStringEnumMemberName("clause")]
    Clause,
    /// <summary>A phrase mark (dash, bracket, quote): no clause mark inside the limit.</summary>
    [JsonStringEnumMemberName("phrase")]
    Phrase,
    /// <summary>A space between words: no punctuation inside the limit.</summary>
    [JsonStringEnumMemberName("word")]
    Word,
    /// <summary>Between two characters: no space either (a long run of Chinese text without punctuation).</summary>
    [JsonStringEnumMemberName("character")]
    Character,
}

/// <summary>A stretch of one language inside a chunk (<c>zh</c>, <c>en</c>, <c>ja</c>, <c>ko</c>, or an SSML <c>xml:lang</c>).</summary>
internal sealed record LanguageRun(string Language, int Start, int Length);

/// <summary>One piece of text small enough for a voice to synthesise in one go.</summary>
/// <param name="Index">Position of the chunk in its utterance, from 0.</param>
/// <param name="Text">What will be said: normalised, at most <c>Text:MaxChunkChars</c> characters.</param>
/// <param name="SourceStart">Offset of the chunk in the request's text, in UTF-16 code units.</param>
/// <param name="SourceLength">Length of the source span the chunk was made from.</param>
/// <param name="Boundary">How the chunk was ended.</param>
internal sealed record TextChunk(int Index, string Text, int SourceStart, int SourceLength, ChunkBoundary Boundary)
{
    /// <summary>Relative speaking rate in force for this chunk: 1 is the voice's own, 2 twice as fast.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Silence before the chunk, in milliseconds.</summary>
    public int PauseBeforeMs { get; init; }

    /// <summary>Silence after the chunk, in milliseconds.</summary>
    public int PauseAfterMs { get; init; }

    /// <summary>The language most of the chunk is in.</summary>
    public string Language { get; init; } = "und";

    public IReadOnlyList<LanguageRun> Languages { get; init; } = [];
}
