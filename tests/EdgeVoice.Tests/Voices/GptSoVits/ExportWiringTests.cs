using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using EdgeVoice.Text;
using EdgeVoice.Voices.GptSoVits;

namespace EdgeVoice.Tests.Voices.GptSoVits;

/// <summary>
/// The `min-export` bundle has the wiring of the minimal exporter's real v2 graphs: the sovits input named
/// `speed` multiplies the prior noise (tone + randn · 0.1 · speed) and `noise_scale` is pruned; dims of 1
/// are symbolic names; ssl and vq_encoder name their time axes alike; gpt_encoder has no phoneme_ids_len.
/// </summary>
public sealed class ExportWiringTests : IDisposable
{
    private const string Text = "Good morning, everyone.";
    private readonly GptSoVitsFixture _export = new("min-export");
    private readonly GptSoVitsFixture _plain = new("min");

    private string? _clip;

    /// <summary>One reference clip for both bundles, so their speaker features are the same.</summary>
    private string Clip => _clip ??= _plain.Clip();

    public void Dispose()
    {
        _export.Dispose();
        _plain.Dispose();
    }

    private static GptSoVitsOptions Options(double noise) => new() { TopK = 1, Seed = 1, NoiseScale = noise, SentenceSilenceSeconds = 0 };

    private static short[] Say(GptSoVitsVoice voice, double speed = 1.0) =>
        voice.Synthesize(new TextChunk(0, Text, 0, Text.Length, ChunkBoundary.End) { Speed = speed }, CancellationToken.None);

    /// <summary>Standard deviation of the difference of two equally long clips, in full scale.</summary>
    private static double NoiseLevel(short[] a, short[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var d = a.Zip(b, (x, y) => (x - y) / 32767.0).ToArray();
        var mean = d.Average();
        return Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / d.Length);
    }

    [Fact]
    public void TheV2Export_IsTracedAsSpeedIsNoise()
    {
        using var voice = GptSoVitsFixture.Load(_export.Enroll(clip: Clip), Options(0.5));
        Assert.True(voice.Wiring.Traced);
        Assert.True(voice.Wiring.SpeedIsNoise);
        Assert.Equal("speed", voice.Wiring.NoiseInput);
        Assert.Null(voice.Wiring.SpeedInput);
        Assert.Contains("v2 minimal export", voice.Wiring.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void AKeptSpeedInput_KeepsSpeed_AndNoiseScaleGoesByName()
    {
        using var bert = new GptSoVitsFixture("min-bert");
        using var voice = GptSoVitsFixture.Load(bert.Enroll(), Options(0.5));
        Assert.False(voice.Wiring.SpeedIsNoise);
        Assert.Equal("noise_scale", voice.Wiring.NoiseInput);
        Assert.Equal("speed", voice.Wiring.SpeedInput);
        Assert.False(voice.Wiring.Traced);
    }

    [Fact]
    public void NoiseScale_ReachesTheSpeedInput_OfTheV2Export()
    {
        using var clean = GptSoVitsFixture.Load(_plain.Enroll(clip: Clip), Options(0.5));
        var tone = Say(clean);

        using var silent = GptSoVitsFixture.Load(_export.Enroll(clip: Clip), Options(0));
        var noiseless = Say(silent);
        Assert.Equal(tone, noiseless); // the same GPT, and no noise at all: speed 1.0 would have added 0.1 full scale

        using var half = GptSoVitsFixture.Load(_export.Enroll(clip: Clip), Options(0.5));
        Assert.InRange(NoiseLevel(Say(half), tone), 0.045, 0.055);

        // The chunk's speed does not leak into the noise.
        Assert.InRange(NoiseLevel(Say(half, speed: 2.0), tone), 0.045, 0.055);
    }

    [Fact]
    public void SymbolicDims_AndAlikeTimeAxes_EnrollAndSpeak_AsTheFixedOnes()
    {
        using var plain = GptSoVitsFixture.Load(_plain.Enroll(clip: Clip), Options(0));
        Say(plain);
        using var export = GptSoVitsFixture.Load(_export.Enroll(clip: Clip), Options(0));
        Say(export);
        Assert.NotEmpty(export.LastTokens);
        Assert.Equal(plain.LastTokens, export.LastTokens);
    }

    [Fact]
    public void ShapeProfiles_TakeDimsNamedOneOrBatchSize_AsOne()
    {
        var shapes = ShapeProfiles.For(Path.Combine(GptSoVitsFixture.Source("min-export"), "gpt_step.onnx"), opt: 100, max: 300);
        Assert.Contains("samples:1x1", shapes.Max, StringComparison.Ordinal);
        Assert.Contains("k_cache:2x1x300x8", shapes.Max, StringComparison.Ordinal);
        Assert.Contains("idx:1", shapes.Max, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGraphReader_ListsNodesInOrder()
    {
        var nodes = OnnxGraph.Nodes(Path.Combine(GptSoVitsFixture.Source("min-export"), "sovits.onnx"));
        var random = nodes.Single(n => n.OpType == "RandomNormalLike");
        var add = nodes[^1];
        Assert.Equal("Add", add.OpType);
        Assert.Equal(["audio"], add.Outputs);
        Assert.True(nodes.ToList().IndexOf(random) < nodes.Count - 1);
        Assert.Throws<InvalidDataException>(() => OnnxGraph.Nodes(Path.Combine(GptSoVitsFixture.Source("min-export"), "config.json")));
    }
}
