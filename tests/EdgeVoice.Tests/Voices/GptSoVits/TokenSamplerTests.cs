using EdgeVoice.Voices.GptSoVits;

namespace EdgeVoice.Tests.Voices.GptSoVits;

public sealed class TokenSamplerTests
{
    private static readonly bool[] NothingSaid = new bool[1025];

    [Fact]
    public void TopK1_TakesTheBest()
    {
        var sampler = new TokenSampler(new GptSoVitsOptions { TopK = 1 }, new Random(1));
        Assert.Equal(7, sampler.Next([3f, 2f, 1f], [7, 8, 9], NothingSaid, 20, out var stop));
        Assert.False(stop);
    }

    [Fact]
    public void RepetitionPenalty_LowersTokensAlreadySaid()
    {
        var said = new bool[1025];
        said[7] = true;
        var sampler = new TokenSampler(new GptSoVitsOptions { TopK = 1, RepetitionPenalty = 2 }, new Random(1));
        Assert.Equal(8, sampler.Next([3f, 2f], [7, 8], said, 20, out _)); // 3 / 2 < 2
    }

    [Fact]
    public void EndOfSpeech_IsNotACandidateBeforeMinTokens_AndStopsAfter()
    {
        var sampler = new TokenSampler(new GptSoVitsOptions { TopK = 1, MinTokens = 11 }, new Random(1));
        Assert.Equal(5, sampler.Next([9f, 1f], [TokenSampler.Eos, 5], NothingSaid, 3, out var early));
        Assert.False(early);
        sampler.Next([9f, 1f], [TokenSampler.Eos, 5], NothingSaid, 11, out var late);
        Assert.True(late);
    }

    [Fact]
    public void TopP_KeepsOnlyTheLikelyTokens()
    {
        var sampler = new TokenSampler(new GptSoVitsOptions { TopK = 50, TopP = 0.5 }, new Random(2));
        // 10 against 0: the first token alone passes 0.5, the rest are dropped whatever the draw.
        var picks = Enumerable.Range(0, 200).Select(i => sampler.Next([10f, 0f, 0f], [1, 2, 3], NothingSaid, 20, out _)).Distinct();
        Assert.Equal([1L], picks);
    }

    [Fact]
    public void Draws_FollowTheProbabilities()
    {
        var sampler = new TokenSampler(new GptSoVitsOptions { TopK = 50 }, new Random(3));
        var picks = Enumerable.Range(0, 4000).Select(i => sampler.Next([(float)Math.Log(3), 0f], [1, 2], NothingSaid, 20, out _)).ToList();
        Assert.InRange(picks.Count(p => p == 1) / 4000.0, 0.71, 0.79); // 3:1
    }
}
