using EdgeVoice.Inference;
using EdgeVoice.Voices;
using EdgeVoice.Voices.Espeak;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Support;

/// <summary>Voice registries over the real espeak-ng and ONNX Runtime, and the committed Piper fixtures.</summary>
internal static class TestVoices
{
    public static readonly EspeakLibrary Espeak = new();

    /// <summary>The small Piper voices made by Fixtures/make_piper_fixtures.py.</summary>
    public static string PiperFixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures", "piper");

    public static string PiperModel(string name) => Path.Combine(PiperFixtures, name + ".onnx");

    public static SessionFactory Sessions(string providers = "cpu") =>
        new(Options.Create(new InferenceOptions { Providers = providers }), NullLogger<SessionFactory>.Instance);

    public static VoiceRegistry Registry(string? directory = null, string defaultVoice = "", string providers = "cpu") =>
        Registry(new VoicesOptions { Directory = directory ?? Path.Combine(Path.GetTempPath(), "edgevoice-no-voices"), Default = defaultVoice }, providers);

    public static VoiceRegistry Registry(VoicesOptions options) => Registry(options, "cpu");

    private static VoiceRegistry Registry(VoicesOptions options, string providers) =>
        new(VoiceEngines.Create(Espeak, Sessions(providers), options), Options.Create(options), NullLogger<VoiceRegistry>.Instance);

    /// <summary>Copies some of the fixture voices into a new folder, as an installer would.</summary>
    public static string VoicesFolder(params string[] names)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"edgevoice-voices-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (var name in names)
        {
            File.Copy(PiperModel(name), Path.Combine(folder, name + ".onnx"));
            File.Copy(PiperModel(name) + ".json", Path.Combine(folder, name + ".onnx.json"));
        }

        return folder;
    }
}
