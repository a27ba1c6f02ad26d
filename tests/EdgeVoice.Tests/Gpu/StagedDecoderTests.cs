using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using EdgeVoice.Voices.GptSoVits;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Tests.Gpu;

/// <summary>
/// The device code path of the GPT-SoVITS step (caches and step inputs behind copies, the top-k bound to the host)
/// run on the CPU with host-staged memory: it must make exactly the tokens the directly bound path makes.
/// </summary>
public sealed class StagedDecoderTests : IDisposable
{
    private readonly GptSoVitsFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    internal static (List<long> Tokens, DecodeReport Report) Decode(SemanticDecoder decoder, int phones = 30, int targetPhones = 1)
    {
        long[] phoneIds = [.. Enumerable.Range(0, phones).Select(i => (long)(3 + (i % 40)))];
        long[] prompt = [.. Enumerable.Range(0, 10).Select(i => (long)(100 + i))];
        var bert = new float[decoder.BertWidth * phones];
        var report = new DecodeReport();
        var tokens = decoder.Generate(phoneIds, targetPhones, prompt, bert, new Random(1), report, CancellationToken.None).ToList();
        return (tokens, report);
    }

    private static GptSoVitsOptions Greedy(string buckets) => new() { TopK = 1, Seed = 1, CacheBuckets = buckets };

    [Fact]
    public void TheStagedPath_MakesTheSameTokens_ThroughEveryGrow()
    {
        const string buckets = "60,70,80,90,100,110,120,4096";
        using var bundle = GptSoVitsBundle.Open(_fixture.Bundle, TestVoices.Sessions());
        using var direct = new SemanticDecoder(bundle, Greedy(buckets));
        Assert.Equal(TensorHome.Host, direct.Plan.Device);
        Assert.False(direct.CacheStaged);
        var (expected, directReport) = Decode(direct);

        using var memory = TensorMemory.HostStaged();
        using var staged = new SemanticDecoder(bundle, Greedy(buckets), BindingPlan.For(ExecutionProvider.Cuda), memory);
        Assert.True(staged.CacheStaged);
        var (tokens, report) = Decode(staged);

        Assert.True(report.Grows >= 2, $"grew {report.Grows} times");
        Assert.Equal(directReport.Grows, report.Grows);
        Assert.Equal(expected, tokens);
        // A second chunk on the same buffers starts clean.
        Assert.Equal(expected, Decode(staged).Tokens);
    }

    [Fact]
    public void KvCache_Staged_GrowKeepsEveryRowOfEveryLayer()
    {
        using var memory = TensorMemory.HostStaged();
        using var cache = new KvCache<float>(layers: 2, width: 3, memory);
        cache.Reset(4);
        var keys = Enumerable.Range(0, 2 * 4 * 3).Select(i => (float)i).ToArray();
        using var k = OrtValue.CreateTensorValueFromMemory(keys, [2, 1, 4, 3]);
        using var v = OrtValue.CreateTensorValueFromMemory(keys.ToArray(), [2, 1, 4, 3]);
        cache.Fill(k, v, filled: 3);
        cache.Swap();
        cache.Swap();
        cache.Grow(10);

        Assert.True(cache.Staged);
        Assert.Equal(10, cache.Rows);
        Assert.Equal([12f, 13f, 14f], cache.KeyRow(1, 0));
        Assert.Equal([18f, 19f, 20f], cache.KeyRow(1, 2));
        Assert.Equal([0f, 0f, 0f], cache.KeyRow(1, 3));
        Assert.Equal([3f, 4f, 5f], cache.KeyRow(0, 1));
    }
}
