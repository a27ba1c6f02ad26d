using System.Text;
using EdgeVoice.Text;

namespace EdgeVoice.Tests.Text;

/// <summary>Every source of silence is bounded: each pause, and all of a request's pauses together, with a warning.</summary>
public sealed class PauseLimitTests
{
    private static TextPlan Plan(string text, TextFormat format, int maxPauseMs = 10_000, int maxSilenceMs = 60_000) =>
        new TextPlanner(Microsoft.Extensions.Options.Options.Create(new TextOptions { MaxPauseMs = maxPauseMs, MaxSilenceMs = maxSilenceMs })).Plan(text, format);

    private static long Silence(IEnumerable<TextChunk> chunks) => chunks.Sum(c => (long)c.PauseBeforeMs + c.PauseAfterMs);

    [Fact]
    public void NestedParagraphs_SevenHundredLevels_GiveAtMostOnePauseOfTenSeconds()
    {
        var text = "<speak>" + string.Concat(Enumerable.Repeat("<p>", 700)) + "Hi." + string.Concat(Enumerable.Repeat("</p>", 700)) + " Bye.</speak>";
        var plan = Plan(text, TextFormat.Ssml);

        var chunks = plan.ToList();

        Assert.Equal(2, chunks.Count);
        Assert.Equal(10_000, chunks[0].PauseAfterMs);
        Assert.Equal(10_000, Silence(chunks));
    }

    [Fact]
    public void AThousandTenSecondBreaks_AddUpToTheRequestsSilenceLimit_WithAWarningOnce()
    {
        var text = new StringBuilder("<speak>");
        for (var i = 0; i < 1000; i++)
        {
            text.Append(CultureInfo(i)).Append("<break time=\"10s\"/>");
        }

        var plan = Plan(text.Append("</speak>").ToString(), TextFormat.Ssml);

        var chunks = plan.ToList();

        Assert.Equal(60_000, Silence(chunks));
        Assert.All(chunks, c => Assert.InRange(c.PauseAfterMs, 0, 10_000));
        Assert.Single(plan.Warnings, w => w.Contains("Text:MaxSilenceMs", StringComparison.Ordinal));
    }

    [Fact]
    public void Markers_APauseOverTheLimit_IsShortened_WithAWarning()
    {
        var plan = Plan("One.[pause_9000ms][lbreak][pause_9000ms] Two.", TextFormat.Text, maxPauseMs: 2_000);

        var chunks = plan.ToList();

        Assert.Equal(2_000, chunks[0].PauseAfterMs);
        Assert.Single(plan.Warnings, w => w.Contains("shortened to 2000 ms (Text:MaxPauseMs)", StringComparison.Ordinal));
    }

    [Fact]
    public void Silence_UnderTheLimits_IsKeptAsWritten_WithoutWarnings()
    {
        var plan = Plan("[pause_500ms]One.[lbreak] Two.", TextFormat.Text);

        var chunks = plan.ToList();

        Assert.Equal(500, chunks[0].PauseBeforeMs);
        Assert.Equal(700, chunks[0].PauseAfterMs);
        Assert.Empty(plan.Warnings);
    }

    private static string CultureInfo(int i) => $"Word {i}.";
}
