using EdgeVoice.Text;

namespace EdgeVoice.Tests.Text;

public sealed class PhraseBreaksTests
{
    [Theory]
    // '|' marks the expected break, '^' the limit; no '|': none.
    [InlineData("Please keep your luggage| with^ you at all times")]
    [InlineData("Welcome| to the central^ station.")]
    [InlineData("The next train| to the^ airport")]
    // After a function word is never a break: "to" and "the" are followed by function or content words alike.
    [InlineData("to the^ station")]
    // Capitals count as the same word; punctuation ends a word.
    [InlineData("Trains| FROM Berlin^ now late")]
    // Not English letters: no break.
    [InlineData("Zürich nach^ Bern")]
    [InlineData("欢迎 光临^ 本店")]
    public void LastBefore_FindsTheLastSpaceAfterAContentWordBeforeAFunctionWord(string marked)
    {
        var expected = marked.Replace("^", "", StringComparison.Ordinal).IndexOf('|', StringComparison.Ordinal);
        var text = marked.Replace("|", "", StringComparison.Ordinal);
        var limit = text.IndexOf('^', StringComparison.Ordinal);
        text = text.Replace("^", "", StringComparison.Ordinal);

        Assert.Equal(expected, PhraseBreaks.LastBefore(text, 0, limit));
    }
}
