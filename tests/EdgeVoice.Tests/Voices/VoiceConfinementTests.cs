using EdgeVoice.Tests.Support;
using EdgeVoice.Voices;

namespace EdgeVoice.Tests.Voices;

/// <summary>A voice's files must lie inside the voices folder (paths resolved, symbolic links followed) unless Voices:AllowPathsOutside is set.</summary>
public sealed class VoiceConfinementTests : IDisposable
{
    private const string Model = "en_US-test-x_low";
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"edgevoice-confine-{Guid.NewGuid():N}");

    public VoiceConfinementTests()
    {
        Voices = Path.Combine(_root, "voices");
        var outside = Path.Combine(_root, "somewhere");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(Path.Combine(Voices, "escaper"));
        OutsideModel = Path.Combine(outside, "model.onnx");
        File.Copy(TestVoices.PiperModel(Model), OutsideModel);
        File.Copy(TestVoices.PiperModel(Model) + ".json", OutsideModel + ".json");

        // A manifest naming files outside with "..", and a bare Piper pair whose model is a link to outside.
        File.WriteAllText(Path.Combine(Voices, "escaper", "voice.json"), """{"engine": "piper", "model": "../../somewhere/model.onnx"}""");
        File.CreateSymbolicLink(Path.Combine(Voices, "linked.onnx"), OutsideModel);
        File.Copy(TestVoices.PiperModel(Model) + ".json", Path.Combine(Voices, "linked.onnx.json"));
        File.Copy(TestVoices.PiperModel(Model), Path.Combine(Voices, "inside.onnx"));
        File.Copy(TestVoices.PiperModel(Model) + ".json", Path.Combine(Voices, "inside.onnx.json"));
    }

    private string Voices { get; }

    private string OutsideModel { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void FilesOutsideTheVoicesFolder_AreRefused_WithTheReason_AndTheOthersLoad()
    {
        using var registry = TestVoices.Registry(new VoicesOptions { Directory = Voices });

        registry.LoadAll();

        var broken = registry.List().Where(v => v.Error is not null).ToDictionary(v => v.Name, v => v.Error!);
        Assert.Contains("lies outside the voices folder", broken["escaper"], StringComparison.Ordinal);
        Assert.Contains("Voices:AllowPathsOutside", broken["escaper"], StringComparison.Ordinal);
        Assert.Contains($"resolved to '{OutsideModel}'", broken["linked"], StringComparison.Ordinal);
        Assert.False(registry.TryResolve("escaper", out _, out _));
        Assert.False(registry.TryResolve("linked", out _, out _));
        Assert.True(registry.TryResolve("inside", out _, out _));
    }

    [Fact]
    public void AllowPathsOutside_LoadsThem()
    {
        using var registry = TestVoices.Registry(new VoicesOptions { Directory = Voices, AllowPathsOutside = true });

        registry.LoadAll();

        Assert.True(registry.TryResolve("escaper", out _, out _));
        Assert.True(registry.TryResolve("linked", out _, out _));
    }

    [Fact]
    public void AVoicesFolderThatIsALink_IsFollowed_AndItsOwnFilesLoad()
    {
        var link = Path.Combine(_root, "voices-link");
        Directory.CreateSymbolicLink(link, Voices);
        using var registry = TestVoices.Registry(new VoicesOptions { Directory = link });

        registry.LoadAll();

        Assert.True(registry.TryResolve("inside", out _, out _));
        Assert.False(registry.TryResolve("escaper", out _, out _));
    }
}
