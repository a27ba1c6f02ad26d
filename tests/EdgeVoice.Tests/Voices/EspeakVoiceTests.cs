using EdgeVoice.Tests.Support;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using EdgeVoice.Voices.Espeak;

namespace EdgeVoice.Tests.Voices;

/// <summary>The built-in voice, through the real libespeak-ng.</summary>
public sealed class EspeakVoiceTests
{
    private static VoiceRegistry Registry(string defaultVoice = "espeak") => TestVoices.Registry(defaultVoice: defaultVoice);

    private static TextChunk Chunk(string text) => new(0, text, 0, text.Length, ChunkBoundary.End);

    [Fact]
    public void Synthesize_English_IsSpeechOfPlausibleLength()
    {
        Assert.True(Registry().TryResolve(null, out var voice, out _));

        var pcm = voice.Synthesize(Chunk("The quick brown fox jumps over the lazy dog."), CancellationToken.None);

        Assert.Equal(22050, voice.Format.SampleRate);
        Speech.AssertPlausible(pcm, voice.Format.SampleRate, words: 9);
    }

    [Fact]
    public void Synthesize_Mandarin_WithAnEspeakVoiceByName()
    {
        Assert.True(Registry().TryResolve("espeak:cmn", out var voice, out _));

        var pcm = voice.Synthesize(Chunk("你好，欢迎光临。"), CancellationToken.None);

        Assert.Equal("espeak:cmn", voice.Name);
        Speech.AssertPlausible(pcm, voice.Format.SampleRate, words: 6);
    }

    [Fact]
    public void Synthesize_LongerText_GivesLongerAudio()
    {
        Assert.True(Registry().TryResolve(null, out var voice, out _));

        var shortPcm = voice.Synthesize(Chunk("Hello."), CancellationToken.None);
        var longPcm = voice.Synthesize(Chunk("Hello. Welcome to the station, the next train leaves in five minutes."), CancellationToken.None);

        Assert.True(longPcm.Length > 4 * shortPcm.Length, $"{longPcm.Length} samples vs {shortPcm.Length}");
    }

    [Fact]
    public void Synthesize_FasterSpeed_GivesShorterAudio()
    {
        Assert.True(Registry().TryResolve(null, out var voice, out _));
        var text = "Please mind the gap between the train and the platform.";

        var normal = voice.Synthesize(Chunk(text), CancellationToken.None);
        var fast = voice.Synthesize(Chunk(text) with { Speed = 2.0 }, CancellationToken.None);

        Assert.InRange((double)fast.Length / normal.Length, 0.35, 0.7);
    }

    [Fact]
    public void Synthesize_Cancelled_StopsWithCancellation()
    {
        Assert.True(Registry().TryResolve(null, out var voice, out _));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => voice.Synthesize(Chunk("This should never be heard."), cancelled.Token));
    }

    // Gurmukhi tone letters, alone and inside random text: libespeak-ng 1.51 could crash the process on them.
    [Theory]
    [InlineData("\u0A18")]
    [InlineData("\u0A27")]
    [InlineData("\u0A22\u6374\uBF5B\uC8DE\u6F1D\u2D42")]
    [InlineData("\u988F\uC2E3\u0A18\uAA1E\u78D6\u13CF\u5BE3\u66C1")]
    [InlineData("\u0A18\u0A1D\u0A22\u0A27\u0A2D")]
    public void Synthesize_GurmukhiToneLetters_IsSpokenWithoutCrashing(string text)
    {
        Assert.True(Registry().TryResolve(null, out var voice, out _));

        var pcm = voice.Synthesize(Chunk(text), CancellationToken.None);

        Assert.NotEmpty(pcm);
    }

    [Fact]
    public void TextToPhonemes_GurmukhiToneLetters_GivesPhonemes()
    {
        var phonemes = new EspeakLibrary().TextToPhonemes("\u0A18\u0A30 \u0A27\u0A70\u0A28\u0A35\u0A3E\u0A26", "pa");

        Assert.False(string.IsNullOrWhiteSpace(phonemes));
    }

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog.")]
    [InlineData("Größe, café, naïve; 1,234.56 € – 42%!")]
    [InlineData("你好，欢迎光临。")]
    [InlineData("Привет, как дела? 2024 год.")]
    [InlineData("こんにちは 안녕하세요 Γειά σου שלום مرحبا नमस्ते")]
    [InlineData("\u0A38\u0A24 \u0A38\u0A4D\u0A30\u0A40 \u0A05\u0A15\u0A3E\u0A32")]
    [InlineData("")]
    public void Speakable_OrdinaryText_IsUnchanged(string text) =>
        Assert.Same(text, EspeakLibrary.Speakable(text));

    [Fact]
    public void Speakable_GurmukhiToneLetters_BecomeTheUnaspiratedLetters() =>
        Assert.Equal("a \u0A17\u0A1C\u0A21\u0A26\u0A2C b", EspeakLibrary.Speakable("a \u0A18\u0A1D\u0A22\u0A27\u0A2D b"));

    [Theory]
    [InlineData("robot")]
    [InlineData("espeak:")]
    [InlineData("espeak:no-such-language")]
    public void TryResolve_UnknownVoice_ExplainsWhatIsInstalled(string name)
    {
        Assert.False(Registry().TryResolve(name, out _, out var error));

        Assert.Contains($"'{name}'", error, StringComparison.Ordinal);
        Assert.Contains("espeak", error, StringComparison.Ordinal);
    }

    [Fact]
    public void WarmUp_LoadsTheDefaultVoiceAndListsIt()
    {
        var registry = Registry();

        registry.LoadAll();

        var info = Assert.Single(registry.List());
        Assert.Equal(("espeak", "espeak", 22050, "cpu"), (info.Name, info.Engine, info.SampleRate, info.Provider));
        Assert.True(info.WarmUpMs > 0);
    }

    [Fact]
    public void WarmUp_UnusableDefault_FailsWithTheReason()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Registry(defaultVoice: "missing").LoadAll());

        Assert.Contains("Voices:Default", error.Message, StringComparison.Ordinal);
    }
}
