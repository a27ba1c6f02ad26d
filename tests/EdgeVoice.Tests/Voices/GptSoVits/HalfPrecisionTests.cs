using EdgeVoice.Tests.Support;
using EdgeVoice.Text;
using EdgeVoice.Voices.GptSoVits;

namespace EdgeVoice.Tests.Voices.GptSoVits;

/// <summary>
/// A bundle as the exporter's onnx_to_fp16.py leaves it (`min-fp16`: the `min` graphs with float16 inputs
/// and outputs, KV caches included) enrolls and speaks as many tokens as the float bundle (the fixture's
/// end of speech comes at twice the phone count, through the float16 caches). The samples themselves
/// differ: float16 speaker features move the fixture's vq codes, and every token follows from them.
/// </summary>
public sealed class HalfPrecisionTests : IDisposable
{
    private const string Text = "Good morning, everyone.";
    private readonly GptSoVitsFixture _half = new("min-fp16");
    private readonly GptSoVitsFixture _plain = new("min");

    public void Dispose()
    {
        _half.Dispose();
        _plain.Dispose();
    }

    private static GptSoVitsOptions Options() => new() { TopK = 1, Seed = 1, SentenceSilenceSeconds = 0 };

    private static short[] Say(GptSoVitsVoice voice) =>
        voice.Synthesize(new TextChunk(0, Text, 0, Text.Length, ChunkBoundary.End), CancellationToken.None);

    [Fact]
    public void Float16Bundle_EnrollsAndSpeaksAsManyTokensAsTheFloatOne()
    {
        var clip = _plain.Clip();
        using var half = GptSoVitsFixture.Load(_half.Enroll(clip: clip), Options());
        using var plain = GptSoVitsFixture.Load(_plain.Enroll(clip: clip), Options());

        var halfAudio = Say(half);
        var plainAudio = Say(plain);

        Assert.NotEmpty(halfAudio);
        Assert.Equal(plainAudio.Length, halfAudio.Length);
        Assert.Contains(halfAudio, s => s != 0);
        Assert.InRange(halfAudio.Max(s => Math.Abs((int)s)), 1000, 32767);
    }
}
