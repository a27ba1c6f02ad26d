using EdgeVoice.Tests.Support;
using EdgeVoice.Voices.Piper;

namespace EdgeVoice.Tests.Voices;

/// <summary>The voices folder as an installer leaves it, scanned by the registry at start.</summary>
public sealed class VoiceRegistryTests : IDisposable
{
    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string Folder(params string[] voices)
    {
        var folder = TestVoices.VoicesFolder(voices);
        _folders.Add(folder);
        return folder;
    }

    [Fact]
    public void LoadAll_OneBrokenVoice_TheGoodOneIsStillServed_AndTheBrokenOneIsReportedWithItsFile()
    {
        var folder = Folder("en_US-test-x_low", "de_DE-test-x_low");
        File.WriteAllText(Path.Combine(folder, "de_DE-test-x_low.onnx.json"), "{ not json");
        File.WriteAllBytes(Path.Combine(folder, "lonely.onnx"), [1, 2, 3]);
        using var registry = TestVoices.Registry(folder);

        registry.LoadAll();

        Assert.True(registry.TryResolve("en_US-test-x_low", out var good, out _));
        Assert.Equal("piper", good.Engine);
        var list = registry.List();
        var broken = list.Where(v => v.Error is not null).ToDictionary(v => v.Name, v => v.Error!);
        Assert.Contains("de_DE-test-x_low.onnx.json: not valid JSON", broken["de_DE-test-x_low"], StringComparison.Ordinal);
        Assert.Contains("lonely.onnx: no Piper config beside it", broken["lonely"], StringComparison.Ordinal);
        Assert.False(registry.TryResolve("de_DE-test-x_low", out _, out _));
    }

    [Fact]
    public void LoadAll_WithoutADefault_PicksTheFirstInstalledVoice_ElseEspeak()
    {
        using var withVoices = TestVoices.Registry(Folder("zh_CN-test-x_low", "en_US-test-x_low"));
        using var empty = TestVoices.Registry(Folder());

        withVoices.LoadAll();
        empty.LoadAll();

        Assert.Equal("en_US-test-x_low", withVoices.DefaultName);
        Assert.Equal("espeak", empty.DefaultName);
    }

    [Fact]
    public void LoadAll_ConfiguredDefaultThatIsNotInstalled_StopsTheStartWithTheReason()
    {
        using var registry = TestVoices.Registry(Folder("en_US-test-x_low"), defaultVoice: "en_GB-alan-medium");

        var error = Assert.Throws<InvalidOperationException>(registry.LoadAll);

        Assert.Contains("'en_GB-alan-medium'", error.Message, StringComparison.Ordinal);
        Assert.Contains("en_US-test-x_low", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_TensorRtFirst_VoiceRunsOnCpuAndListsWhy()
    {
        using var registry = TestVoices.Registry(Folder("en_US-test-x_low"), providers: "tensorrt,cuda,cpu");

        registry.LoadAll();

        var info = registry.List().Single(v => v.Name == "en_US-test-x_low");
        Assert.Equal("cpu", info.Provider);
        Assert.Equal(["tensorrt", "cuda"], info.Fallbacks.Select(f => f[..f.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal(16000, info.SampleRate);
        Assert.True(info.LoadMs > 0);
        Assert.True(info.WarmUpMs > 0);
    }

    [Fact]
    public void LoadAll_Manifest_NamesTheEngineAndFiles()
    {
        var folder = Folder();
        var voice = Path.Combine(folder, "lobby");
        Directory.CreateDirectory(voice);
        File.Copy(TestVoices.PiperModel("en_US-test-x_low"), Path.Combine(voice, "model.onnx"));
        File.Copy(TestVoices.PiperModel("en_US-test-x_low") + ".json", Path.Combine(voice, "model.onnx.json"));
        File.WriteAllText(Path.Combine(voice, "voice.json"), """{"engine": "piper", "name": "lobby-voice", "model": "model.onnx"}""");
        var cloned = Path.Combine(folder, "clone");
        Directory.CreateDirectory(cloned);
        File.WriteAllText(Path.Combine(cloned, "voice.json"), """{"engine": "vall-e"}""");
        using var registry = TestVoices.Registry(folder);

        registry.LoadAll();

        Assert.True(registry.TryResolve("lobby-voice", out var lobby, out _));
        Assert.Equal("piper", lobby.Engine);
        Assert.Contains("engine 'vall-e' is not one this version runs", registry.List().Single(v => v.Name == "clone").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_SpeakerOfAMultiSpeakerVoice()
    {
        using var registry = TestVoices.Registry(Folder("en_US-multi-x_low"));
        registry.LoadAll();

        Assert.True(registry.TryResolve("en_US-multi-x_low:bob", out var bob, out _));
        Assert.False(registry.TryResolve("en_US-multi-x_low:zed", out _, out var error));

        Assert.IsType<PiperVoice>(bob);
        Assert.Contains("no speaker 'zed'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_Unknown_ListsWhatIsInstalled()
    {
        using var registry = TestVoices.Registry(Folder("en_US-test-x_low"));
        registry.LoadAll();

        Assert.False(registry.TryResolve("robot", out _, out var error));

        Assert.Contains("installed: espeak, en_US-test-x_low", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoadOne_LoadsOnlyTheVoiceAskedFor_TheOthersInTheFolderAreNotTouched()
    {
        var folder = Folder("en_US-test-x_low", "de_DE-test-x_low", "zh_CN-test-x_low");
        File.WriteAllText(Path.Combine(folder, "de_DE-test-x_low.onnx.json"), "{ not json");
        File.WriteAllBytes(Path.Combine(folder, "lonely.onnx"), [1, 2, 3]);
        using var registry = TestVoices.Registry(folder);

        Assert.True(registry.TryLoadOne("en_US-test-x_low", out var voice, out var error), error);

        Assert.Equal("en_US-test-x_low", voice.Name);
        Assert.Equal(["en_US-test-x_low"], registry.List().Select(v => v.Name));
        Assert.False(registry.TryResolve("zh_CN-test-x_low", out _, out _));
        Assert.Equal("en_US-test-x_low", registry.DefaultName);
    }

    [Fact]
    public void TryLoadOne_BrokenVoiceAskedFor_FailsWithItsReason()
    {
        var folder = Folder("en_US-test-x_low", "de_DE-test-x_low");
        File.WriteAllText(Path.Combine(folder, "de_DE-test-x_low.onnx.json"), "{ not json");
        using var registry = TestVoices.Registry(folder);

        Assert.False(registry.TryLoadOne("de_DE-test-x_low", out _, out var error));

        Assert.Contains("de_DE-test-x_low.onnx.json: not valid JSON", error, StringComparison.Ordinal);
        Assert.False(registry.TryResolve("en_US-test-x_low", out _, out _));
    }

    [Fact]
    public void TryLoadOne_BuiltInSpeakerAndDefault()
    {
        var folder = Folder("en_US-multi-x_low", "en_US-test-x_low");
        File.WriteAllBytes(Path.Combine(folder, "lonely.onnx"), [1, 2, 3]);
        using var builtIn = TestVoices.Registry(folder);
        using var speaker = TestVoices.Registry(folder);
        using var byDefault = TestVoices.Registry(folder, defaultVoice: "en_US-test-x_low");

        Assert.True(builtIn.TryLoadOne("espeak", out var espeak, out _));
        Assert.True(speaker.TryLoadOne("en_US-multi-x_low:bob", out var bob, out var error), error);
        Assert.True(byDefault.TryLoadOne(null, out var chosen, out error), error);

        Assert.Equal("espeak", espeak.Engine);
        Assert.Empty(builtIn.List());
        Assert.IsType<PiperVoice>(bob);
        Assert.Equal(["en_US-multi-x_low"], speaker.List().Select(v => v.Name));
        Assert.Equal("en_US-test-x_low", chosen.Name);
        Assert.Equal(["en_US-test-x_low"], byDefault.List().Select(v => v.Name));
    }

    [Fact]
    public void TryLoadOne_ManifestNamedOtherThanItsFolder_IsFoundByLoadingTheFolder()
    {
        var folder = Folder();
        var voice = Path.Combine(folder, "lobby");
        Directory.CreateDirectory(voice);
        File.Copy(TestVoices.PiperModel("en_US-test-x_low"), Path.Combine(voice, "model.onnx"));
        File.Copy(TestVoices.PiperModel("en_US-test-x_low") + ".json", Path.Combine(voice, "model.onnx.json"));
        File.WriteAllText(Path.Combine(voice, "voice.json"), """{"engine": "piper", "name": "lobby-voice", "model": "model.onnx"}""");
        using var registry = TestVoices.Registry(folder);

        Assert.True(registry.TryLoadOne("lobby-voice", out var lobby, out var error), error);

        Assert.Equal("lobby-voice", lobby.Name);
    }

    [Theory]
    [InlineData("en-us", 100)]
    [InlineData("de", 150)]
    [InlineData("zh", 100)]
    public void WarmUpPhrase_FillsTheLongestChunk_WithWordsAndNoPause(string language, int chars)
    {
        var phrase = EdgeVoice.Voices.VoiceRegistry.WarmUpPhrase(language, chars);

        // As long as a chunk can be, so the largest chunk's memory is taken at warm-up; one sentence, no pause inside.
        Assert.InRange(phrase.Length, chars - 2, chars + 1);
        Assert.Equal(1, phrase.Count(c => c is '.' or '。'));
        Assert.DoesNotContain(",", phrase, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en-us", 0, "Hello.")]
    [InlineData("cmn", 0, "你好。")]
    public void WarmUpPhrase_Zero_IsAShortWord(string language, int chars, string expected) =>
        Assert.Equal(expected, EdgeVoice.Voices.VoiceRegistry.WarmUpPhrase(language, chars));
}
