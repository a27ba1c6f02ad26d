using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using EdgeVoice.Voices;
using EdgeVoice.Voices.GptSoVits;
using EdgeVoice.Voices.GptSoVits.Frontend;

namespace EdgeVoice.Tests.Voices.GptSoVits;

public sealed class BertFeaturesTests : IDisposable
{
    private readonly GptSoVitsFixture _fixture = new("min-bert");

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void EachCharactersRow_IsRepeatedForItsPhones_AndEnglishPhonesGetZeros()
    {
        using var bundle = GptSoVitsBundle.Open(_fixture.Bundle, TestVoices.Sessions());
        var result = new GptSoVitsFrontend(TestVoices.Espeak, bundle.Symbols).Convert("你好，hello 世界。");
        var features = new BertFeatures(bundle).For(result, 1024);
        var phones = result.Phones.Count;

        // The test BERT gives every feature of a token its vocabulary index times 0.01: 你 11, 好 12, ',' 5, 世 13, 界 14, '.' 6.
        float[] expected = [.. new[] { 11, 11, 12, 12, 5 }.Select(i => i * 0.01f), .. Enumerable.Repeat(0f, phones - 10), .. new[] { 13, 13, 14, 14, 6 }.Select(i => i * 0.01f)];
        foreach (var w in new[] { 0, 511, 1023 })
        {
            Assert.Equal(expected, features.AsSpan(w * phones, phones).ToArray());
        }
    }

    [Fact]
    public void NoBert_IsZeros()
    {
        using var plain = new GptSoVitsFixture("min");
        using var bundle = GptSoVitsBundle.Open(plain.Bundle, TestVoices.Sessions());
        var result = new GptSoVitsFrontend(TestVoices.Espeak, bundle.Symbols).Convert("你好");
        Assert.All(new BertFeatures(bundle).For(result, 1024), f => Assert.Equal(0f, f));
    }

    [Fact]
    public void EnrollmentCachesTheReferencesBertFeatures()
    {
        var result = Enrollment.Enroll("bert", _fixture.Bundle, _fixture.Clip(), "你好，世界。", "zh", _fixture.Voices, force: false, TestVoices.Sessions(), TestVoices.Espeak, new GptSoVitsOptions());
        var bert = Npy.Read(Path.Combine(result.Folder, "features", "ref_bert.npy"));
        Assert.Equal([1024L, 10], bert.Shape);
        Assert.Equal(11 * 0.01f, bert.As<float>()[0]);
    }

    [Fact]
    public void AChunksSpeed_ReachesSoVitsSpeedInput_WhenTheExportKeptIt()
    {
        // This bundle's SoVITS keeps its speed input, and the test graph scales its loudness by it.
        using var voice = GptSoVitsFixture.Load(_fixture.Enroll(), new GptSoVitsOptions { TopK = 1, Seed = 1, SentenceSilenceSeconds = 0 });
        short Peak(double speed) => voice.Synthesize(new EdgeVoice.Text.TextChunk(0, "你好。", 0, 3, EdgeVoice.Text.ChunkBoundary.End) { Speed = speed }, CancellationToken.None).Max(s => Math.Abs(s));

        Assert.InRange(Peak(0.5) / (double)Peak(1.0), 0.48, 0.52);
    }

    [Fact]
    public void ABertWithoutItsVocabulary_IsAnErrorNamingIt()
    {
        File.Delete(Path.Combine(_fixture.Bundle, "vocab.txt"));
        using var bundle = GptSoVitsBundle.Open(_fixture.Bundle, TestVoices.Sessions());
        var error = Assert.Throws<VoiceLoadException>(() => new BertFeatures(bundle));
        Assert.Contains("no vocab.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVocabularyWithADuplicateToken_IsAnErrorNamingTheFileAndLine()
    {
        var vocabulary = Path.Combine(_fixture.Bundle, "vocab.txt");
        var lines = File.ReadAllLines(vocabulary).ToList();
        lines.Add(lines[11]);
        File.WriteAllLines(vocabulary, lines);
        using var bundle = GptSoVitsBundle.Open(_fixture.Bundle, TestVoices.Sessions());

        var error = Assert.Throws<VoiceLoadException>(() => new BertFeatures(bundle));

        Assert.Equal(vocabulary, error.Path);
        Assert.Contains($"line {lines.Count} repeats the token '{lines[11]}' of line 12", error.Message, StringComparison.Ordinal);
    }
}
