using EdgeVoice.Tests.Support;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using EdgeVoice.Voices.Piper;

namespace EdgeVoice.Tests.Voices.Piper;

/// <summary>Piper voices on real ONNX Runtime sessions of the fixture models (Piper's exact inputs and outputs).</summary>
public sealed class PiperVoiceTests
{
    private const int Hop = 64;

    private static PiperVoice Load(string name, double silence = 0) =>
        PiperVoice.Load(name, TestVoices.PiperModel(name), TestVoices.PiperModel(name) + ".json", TestVoices.Sessions(), TestVoices.Espeak, silence);

    private static TextChunk Chunk(string text, ChunkBoundary boundary = ChunkBoundary.Clause, double speed = 1) =>
        new(0, text, 0, text.Length, boundary) { Speed = speed };

    /// <summary>Ids Piper feeds for "Hello world." (see the phonemizer's golden test): 31.</summary>
    private const int HelloWorldIds = 31;

    [Theory]
    [InlineData("en_US-test-x_low")]   // [1,1,1,T], as exported Piper models give
    [InlineData("en_US-test3d-x_low")] // [1,1,T]
    [InlineData("en_US-testcol-x_low")] // [1,T,1]
    [InlineData("en_US-test2d-x_low")] // [1,T]
    public void Synthesize_AnyOutputLayout_GivesEverySampleAtTheVoicesRate(string name)
    {
        using var voice = Load(name);

        var pcm = voice.Synthesize(Chunk("Hello world."), CancellationToken.None);

        Assert.Equal(16000, voice.Format.SampleRate);
        Assert.Equal(HelloWorldIds * Hop, pcm.Length);
        Assert.Equal(32767, pcm.Max(s => Math.Abs((int)s)), 1.0); // peak-normalised to full scale
        Assert.Equal("cpu", voice.Provider);
    }

    [Theory]
    [InlineData(2.0, HelloWorldIds * Hop / 2)]
    [InlineData(0.5, HelloWorldIds * Hop * 2)]
    public void Synthesize_Speed_ScalesLengthScale(double speed, int samples)
    {
        using var voice = Load("en_US-test-x_low");

        Assert.Equal(samples, voice.Synthesize(Chunk("Hello world.", speed: speed), CancellationToken.None).Length);
    }

    [Fact]
    public void Synthesize_SentenceEnd_AddsTheSentenceSilence_ClauseDoesNot()
    {
        using var voice = Load("en_US-test-x_low", silence: 0.25);

        var sentence = voice.Synthesize(Chunk("Hello world.", ChunkBoundary.Sentence), CancellationToken.None);
        var clause = voice.Synthesize(Chunk("Hello world.", ChunkBoundary.Clause), CancellationToken.None);

        Assert.Equal(clause.Length + 4000, sentence.Length);
        Assert.All(sentence[^4000..], s => Assert.Equal(0, s));
    }

    [Fact]
    public void Synthesize_MultiSpeaker_SpeakerByNameOrNumberChangesTheVoice()
    {
        using var voice = Load("en_US-multi-x_low");
        Assert.True(voice.TryWithSpeaker("carol", out var carol, out _));
        Assert.True(voice.TryWithSpeaker("2", out var two, out _));

        var first = voice.Synthesize(Chunk("Hello world."), CancellationToken.None);
        var third = carol.Synthesize(Chunk("Hello world."), CancellationToken.None);

        Assert.Equal("en_US-multi-x_low:carol", carol.Name);
        Assert.Equal(third, two.Synthesize(Chunk("Hello world."), CancellationToken.None));
        Assert.True(ZeroCrossings(third) > 2 * ZeroCrossings(first), "speaker 2 should be pitched well above speaker 0");
    }

    [Theory]
    [InlineData("dave", "no speaker 'dave'")]
    [InlineData("7", "speakers 0 to 2")]
    public void TryWithSpeaker_Unknown_SaysWhichExist(string speaker, string expected)
    {
        using var voice = Load("en_US-multi-x_low");

        Assert.False(voice.TryWithSpeaker(speaker, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Synthesize_UnknownPhonemes_AreSkippedAndCounted()
    {
        // A "text" voice: its phonemes are the text's own code points, so the test decides them.
        var folder = TestVoices.VoicesFolder("en_US-test-x_low");
        var model = Path.Combine(folder, "en_US-test-x_low.onnx");
        File.WriteAllText(model + ".json", File.ReadAllText(model + ".json").Replace("\"phoneme_type\": \"espeak\"", "\"phoneme_type\": \"text\"", StringComparison.Ordinal));
        using var voice = PiperVoice.Load("text", model, model + ".json", TestVoices.Sessions(), TestVoices.Espeak, 0);

        var first = voice.Synthesize(Chunk("a☃b"), CancellationToken.None);
        voice.Synthesize(Chunk("☃☃"), CancellationToken.None);

        Assert.Equal(7 * Hop, first.Length); // ^ _ a _ b _ $: the snowman is skipped
        Assert.Equal(3, voice.UnknownPhonemes["☃"]);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Synthesize_NothingSpeakable_GivesOnlyTheSilence()
    {
        using var voice = Load("en_US-test-x_low", silence: 0.1);

        Assert.Equal(1600, voice.Synthesize(Chunk("...", ChunkBoundary.Sentence), CancellationToken.None).Length);
    }

    [Fact]
    public void Load_ConfigSpeakersDisagreeWithTheModel_IsRefusedNamingTheModel()
    {
        var folder = TestVoices.VoicesFolder("en_US-test-x_low");
        var model = Path.Combine(folder, "en_US-test-x_low.onnx");
        File.WriteAllText(model + ".json", File.ReadAllText(model + ".json").Replace("\"num_speakers\": 1", "\"num_speakers\": 4", StringComparison.Ordinal));

        var error = Assert.Throws<VoiceLoadException>(() => PiperVoice.Load("x", model, model + ".json", TestVoices.Sessions(), TestVoices.Espeak, 0));

        Assert.Contains(model, error.Message, StringComparison.Ordinal);
        Assert.Contains("4 speakers", error.Message, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void ToPcm_QuietAudio_IsNotBlownUpBeyondPipersLimit()
    {
        // Piper scales by 32767 / max(0.01, peak): near-silence stays near silence.
        var pcm = PiperVoice.ToPcm([0.001f, -0.001f], 0);

        Assert.Equal([3276, -3276], pcm.Select(s => (int)s));
    }

    private static int ZeroCrossings(short[] pcm) => pcm.Zip(pcm.Skip(1)).Count(p => (p.First < 0) != (p.Second < 0));
}
