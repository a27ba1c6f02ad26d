using EdgeVoice.Frontends.Wyoming;

namespace EdgeVoice.Tests.Frontends.Wyoming;

public sealed class SentenceStreamTests
{
    [Fact]
    public void ASentence_IsGivenBack_OnceTheTextAfterItsMarkHasArrived()
    {
        var stream = new SentenceStream(400);
        Assert.Empty(stream.Add("Hello wor"));
        Assert.Empty(stream.Add("ld."));                      // "ld.5" could still follow
        Assert.Equal(["Hello world."], stream.Add(" It costs 3."));
        Assert.Empty(stream.Add("5 euros"));
        Assert.Equal(["It costs 3.5 euros"], stream.Finish());
        Assert.Empty(stream.Finish());
    }

    [Fact]
    public void SeveralSentencesInOneChunk_AndChineseWithoutSpaces_AreEachOwnSentence()
    {
        var stream = new SentenceStream(400);
        Assert.Equal(["One.", "Two!"], stream.Add("One. Two! Thr"));
        Assert.Equal(["Three?"], stream.Add("ee? "));
        Assert.Equal(["你好。"], stream.Add("你好。今天"));
        Assert.Empty(stream.Add("天气很好。"));
        Assert.Equal(["今天天气很好。"], stream.Finish());
    }

    [Fact]
    public void AnAbbreviation_DoesNotEndTheSentence()
    {
        var stream = new SentenceStream(400);
        Assert.Empty(stream.Add("Ask Dr. Smith "));
        Assert.Equal(["Ask Dr. Smith today."], stream.Add("today. And"));
        Assert.Equal("Ask Dr. Smith today. And".Length, stream.Received);
    }
}
