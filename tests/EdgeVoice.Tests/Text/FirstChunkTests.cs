using EdgeVoice.Text;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Text;

/// <summary><c>Text:FirstChunkChars</c>: the first chunk of an utterance is cut short at a natural boundary, the rest as usual.</summary>
public sealed class FirstChunkTests
{
    private static List<TextChunk> Plan(string text, int first, int max = 100) =>
        [.. new TextPlanner(Options.Create(new TextOptions { MaxChunkChars = max, FirstChunkChars = first })).Plan(text)];

    [Theory]
    // A clause mark inside the first 30 characters: the first chunk is that clause; the next comma is past the limit.
    [InlineData("Good morning, everyone on platform four, the train is late today.", 30,
        "Good morning,|everyone on platform four, the train is late today.", "clause,sentence")]
    // No clause mark: between words, the last place before a function word inside the limit ("with", not after it).
    [InlineData("Please keep your luggage with you at all times on the train.", 30,
        "Please keep your luggage|with you at all times on the train.", "word,sentence")]
    // No function word to break before: the last space inside the limit.
    [InlineData("Platform seven passengers please board immediately now.", 30,
        "Platform seven passengers|please board immediately now.", "word,sentence")]
    // The first sentence fits: nothing changes.
    [InlineData("Welcome aboard. The next train to the airport leaves from platform four in six minutes.", 30,
        "Welcome aboard.|The next train to the airport leaves from platform four in six minutes.", "sentence,sentence")]
    // One content word before a function word is a phrase of its own.
    [InlineData("Welcome to the central station.", 30, "Welcome|to the central station.", "word,sentence")]
    // A cut would leave too little ("on board now." is under half the limit): no cut.
    [InlineData("Attention please everyone on board now.", 30, "Attention please everyone on board now.", "sentence")]
    // Off.
    [InlineData("Please keep your luggage with you at all times on the train.", 0,
        "Please keep your luggage with you at all times on the train.", "sentence")]
    // Only the first chunk: the second long sentence is cut as usual.
    [InlineData("Hello there, how are you? Please keep your luggage with you at all times on the train.", 12,
        "Hello there,|how are you?|Please keep your luggage with you at all times on the train.", "clause,sentence,sentence")]
    public void FirstChunk_IsCutAtTheStrongestBoundaryInsideTheLimit(string text, int first, string expected, string boundaries)
    {
        var chunks = Plan(text, first);

        Assert.Equal(expected.Split('|'), chunks.Select(c => c.Text));
        Assert.Equal(boundaries.Split(','), chunks.Select(c => c.Boundary.ToString().ToLowerInvariant()));
    }

    [Fact]
    public void FirstChunk_CutBetweenWords_AddsNoPause_AndLosesNoWord()
    {
        const string text = "Please keep your luggage with you at all times on the train.";

        var chunks = Plan(text, 30);

        Assert.Equal(2, chunks.Count);
        Assert.Equal(0, chunks[0].PauseAfterMs);
        Assert.Equal(0, chunks[1].PauseBeforeMs);
        Assert.Equal(ChunkBoundary.Word, chunks[0].Boundary);
        Assert.Equal(text, string.Join(' ', chunks.Select(c => c.Text)));
    }

    [Fact]
    public void FirstChunk_PauseMarkerBeforeTheText_StillCutsTheFirstSpokenChunk()
    {
        var chunks = Plan("[pause_300ms]Please keep your luggage with you at all times on the train.", 30);

        Assert.Equal("Please keep your luggage", chunks[0].Text);
        Assert.Equal(300, chunks[0].PauseBeforeMs);
    }

    [Fact]
    public void FirstChunk_ChineseWithoutClauseMarks_IsNotCutBetweenCharacters()
    {
        const string text = "欢迎光临本店今天所有商品八折优惠会员还可以再享受额外的积分奖励祝您购物愉快。";

        var chunks = Plan(text, 10);

        Assert.Equal([text], chunks.Select(c => c.Text));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(10_001, false)]
    public void Validator_AcceptsOffOrASensibleLength(int first, bool valid) =>
        Assert.Equal(valid, new TextOptionsValidator().Validate(null, new TextOptions { FirstChunkChars = first }).Succeeded);
}
