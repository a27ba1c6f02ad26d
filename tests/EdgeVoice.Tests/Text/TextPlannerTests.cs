using EdgeVoice.Text;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Text;

/// <summary>The Text stage as the pipeline uses it: markers, segmentation, normalisation, prosody and pauses.</summary>
public sealed class TextPlannerTests
{
    private static readonly TextOptions Options = new() { MaxChunkChars = 100, ShortPauseMs = 250, LongPauseMs = 700 };

    private static TextPlan Plan(string text, TextFormat format = TextFormat.Text, int max = 100) =>
        new TextPlanner(Microsoft.Extensions.Options.Options.Create(new TextOptions { MaxChunkChars = max, ShortPauseMs = 250, LongPauseMs = 700 })).Plan(text, format);

    [Fact]
    public void Markers_PausesGoBetweenChunks_AndAreNeverReadAloud()
    {
        var chunks = Plan("Hello [uv_break] world. [lbreak]Bye.[pause_1200ms]").ToList();

        Assert.Equal(["Hello", "world.", "Bye."], chunks.Select(c => c.Text));
        Assert.Equal([250, 700, 1200], chunks.Select(c => c.PauseAfterMs));
        Assert.All(chunks, c => Assert.DoesNotContain("[", c.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Markers_PauseAtTheStart_IsTheFirstChunksPauseBefore()
    {
        var chunk = Assert.Single(Plan("[pause_500ms]Hi."));

        Assert.Equal(500, chunk.PauseBeforeMs);
    }

    [Theory]
    [InlineData("[speed_1.2]Fast now.", 1.2)]
    [InlineData("[speed_9]Too fast.", 2.0)]
    [InlineData("[speed_0.1]Too slow.", 0.5)]
    public void Markers_Speed_HoldsFromThereOn_ClampedToHalfAndDouble(string text, double speed) =>
        Assert.Equal(speed, Assert.Single(Plan(text)).Speed);

    [Fact]
    public void Markers_Speed_ChangesOnlyWhatFollows()
    {
        var chunks = Plan("Normal. [speed_1.5]Quick. Still quick.").ToList();

        Assert.Equal([1.0, 1.5, 1.5], chunks.Select(c => c.Speed));
    }

    [Fact]
    public void Markers_Unknown_IsDroppedAndReportedOnce()
    {
        var plan = Plan("One [laugh] two [laugh] three [oral_2].");
        var chunks = plan.ToList();

        Assert.Equal("One two three", string.Join(' ', chunks.Select(c => c.Text))); // the lone "." after the last marker says nothing
        Assert.Equal(["unknown marker [laugh] was not read aloud", "unknown marker [oral_2] was not read aloud"], plan.Warnings);
    }

    [Fact]
    public void Brackets_ThatAreNotMarkers_AreText()
    {
        var chunk = Assert.Single(Plan("See [the appendix] please."));

        Assert.Equal("See [the appendix] please.", chunk.Text);
    }

    [Fact]
    public void Chunks_AreNormalised_AndCarryTheirLanguageRuns()
    {
        var chunk = Assert.Single(Plan("发布会iPhone15来了。"));

        Assert.Equal("发布会 iPhone fifteen 来了。", chunk.Text);
        Assert.Equal("zh", chunk.Language);
        Assert.Equal(["zh", "en", "zh"], chunk.Languages.Select(r => r.Language));
        Assert.Equal("iPhone fifteen", chunk.Text.Substring(chunk.Languages[1].Start, chunk.Languages[1].Length).Trim());
    }

    [Fact]
    public void Normalising_LongerThanTheLimit_IsCutAgain()
    {
        var chunks = Plan("Pay $1,234,567,891.99 now.", max: 40).ToList();

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.InRange(c.Text.Length, 1, 40));
        Assert.StartsWith("Pay one billion", chunks[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void PunctuationAlone_MakesNoChunk() => Assert.Empty(Plan("... !!! 。。。"));

    [Fact]
    public void Lazy_TheFirstChunkOfAMegabyteIsReadyWithoutTheRest()
    {
        var text = string.Concat(Enumerable.Repeat("今天天气很好，我们去公园散步。The weather is nice today. ", 20_000));

        using var chunks = Plan(text).GetEnumerator();

        Assert.True(chunks.MoveNext());
        Assert.Equal("今天天气很好，我们去公园散步。", chunks.Current.Text);
    }
}
