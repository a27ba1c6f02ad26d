using System.Globalization;
using System.Text;
using EdgeVoice.Text;

namespace EdgeVoice.Tests.Text;

public sealed class SegmenterTests
{
    private static List<TextChunk> Cut(string text, int max = 100) => [.. new Segmenter(max).Segment(text)];

    [Fact]
    public void Segment_ShortSentences_EachBecomesAChunk()
    {
        var chunks = Cut("Hello world. How are you? Fine!");

        Assert.Equal(["Hello world.", "How are you?", "Fine!"], chunks.Select(c => c.Text));
        Assert.Equal([ChunkBoundary.Sentence, ChunkBoundary.Sentence, ChunkBoundary.Sentence], chunks.Select(c => c.Boundary));
        Assert.Equal([0, 1, 2], chunks.Select(c => c.Index));
    }

    [Fact]
    public void Segment_ChinesePunctuation_CutsWithoutSpaces()
    {
        var chunks = Cut("今天天气很好。我们去公园吧！好吗？");

        Assert.Equal(["今天天气很好。", "我们去公园吧！", "好吗？"], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Segment_DecimalAndAbbreviatedNumbers_AreNotSentenceEnds()
    {
        var chunks = Cut("Version 3.5 costs 1,299 dollars. Done.");

        Assert.Equal(["Version 3.5 costs 1,299 dollars.", "Done."], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Segment_ClosingQuote_StaysWithItsSentence()
    {
        var chunks = Cut("He said \"stop.\" Then he left.");

        Assert.Equal(["He said \"stop.\"", "Then he left."], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Segment_LongSentence_CutsAtTheLastClauseMarkInsideTheLimit()
    {
        var text = "When the doors open, please step inside, hold the rail, and wait for the next stop to be announced by the driver.";

        var chunks = Cut(text, max: 60);

        Assert.Equal("When the doors open, please step inside, hold the rail,", chunks[0].Text);
        Assert.Equal(ChunkBoundary.Clause, chunks[0].Boundary);
        Assert.All(chunks, c => Assert.True(c.Text.Length <= 60));
    }

    [Fact]
    public void Segment_LongChineseSentence_CutsAtChineseCommas()
    {
        var text = "欢迎光临本店，今天所有商品八折优惠，会员还可以再享受额外的积分奖励，祝您购物愉快。";

        var chunks = Cut(text, max: 20);

        Assert.Equal(["欢迎光临本店，今天所有商品八折优惠，", "会员还可以再享受额外的积分奖励，", "祝您购物愉快。"], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Segment_NoPunctuation_CutsBetweenWords()
    {
        var chunks = Cut("alpha beta gamma delta epsilon zeta eta theta", max: 12);

        Assert.Equal(["alpha beta", "gamma delta", "epsilon zeta", "eta theta"], chunks.Select(c => c.Text));
        Assert.Equal(ChunkBoundary.Word, chunks[0].Boundary);
    }

    [Fact]
    public void Segment_UnbrokenRun_CutsBetweenCharactersWithoutSplittingASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 20)); // 40 UTF-16 units

        var chunks = Cut(text, max: 9);

        Assert.All(chunks, c => Assert.False(char.IsHighSurrogate(c.Text[^1])));
        Assert.All(chunks, c => Assert.False(char.IsLowSurrogate(c.Text[0])));
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t  ")]
    public void Segment_NothingToSay_YieldsNoChunk(string text) => Assert.Empty(Cut(text));

    [Fact]
    public void Segment_SourceOffsets_PointBackIntoTheInput()
    {
        const string text = "  First one.   Second one.";

        var chunks = Cut(text);

        Assert.All(chunks, c => Assert.StartsWith(c.Text, text.Substring(c.SourceStart, c.SourceLength), StringComparison.Ordinal));
    }

    [Fact]
    public void Segment_IsLazy_TheFirstChunkIsReadyWithoutReadingTheRest()
    {
        // 10 MB of text: if the segmenter scanned it all first, this would take far longer than taking one chunk.
        var text = string.Concat(Enumerable.Repeat("This is a sentence of text. ", 360_000));

        using var chunks = new Segmenter(100).Segment(text).GetEnumerator();

        Assert.True(chunks.MoveNext());
        Assert.Equal("This is a sentence of text.", chunks.Current.Text);
        Assert.Equal(0, chunks.Current.SourceStart);
    }

    [Fact]
    public void Constructor_LimitBelowTheMinimum_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Segmenter(Segmenter.MinChunkChars - 1));

    /// <summary>Properties that must hold for any input: bounded, non-empty chunks that together are the input.</summary>
    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 20)]
    [InlineData(3, 100)]
    [InlineData(4, 37)]
    public void Segment_RandomText_ChunksAreBoundedNonEmptyAndTogetherAreTheInput(int seed, int max)
    {
        var random = new Random(seed);
        string[] pieces = ["Hello", "world", "。", "，", ".", ",", "!", "?", " ", "  ", "\n", "3.14", "iPhone15", "你好", "世界", "😀", "é", "\"", "；", "a", "supercalifragilistic"];
        var segmenter = new Segmenter(max);
        for (var round = 0; round < 500; round++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 80);
            for (var i = 0; i < length; i++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
            }

            var text = builder.ToString();
            var chunks = segmenter.Segment(text).ToList();

            Assert.All(chunks, c =>
            {
                Assert.InRange(c.Text.Length, 1, max);
                Assert.Equal(c.Text, c.Text.Trim());
                Assert.False(char.IsHighSurrogate(c.Text[^1]), "a chunk ends inside a surrogate pair");
            });
            Assert.Equal(WithoutWhiteSpace(text), WithoutWhiteSpace(string.Concat(chunks.Select(c => c.Text))));
        }
    }

    private static string WithoutWhiteSpace(string text) =>
        string.Concat(text.Where(c => !char.IsWhiteSpace(c)).Select(c => c.ToString(CultureInfo.InvariantCulture)));
}
