using EdgeVoice.Inference;
using EdgeVoice.Voices.Espeak;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Voices.Piper;

/// <summary>Piper (VITS) voices: <c>{"engine": "piper", "model": "x.onnx", "config"?: "x.onnx.json"}</c>, or a bare <c>x.onnx</c> + <c>x.onnx.json</c> pair.</summary>
internal sealed class PiperEngine(SessionFactory sessions, EspeakLibrary espeak, IOptions<VoicesOptions> options) : IVoiceEngine
{
    public const string EngineName = "piper";

    public string Name => EngineName;

    public bool LoadsInstalledVoices => true;

    public IVoice Load(VoiceManifest manifest)
    {
        var model = manifest.Required("model");
        var modelPath = manifest.FullPath(model);
        var config = manifest.FullPath(manifest.Field("config") ?? model + ".json");
        return File.Exists(config)
            ? PiperVoice.Load(manifest.Name, modelPath, config, sessions, espeak, options.Value.PiperSentenceSilenceSeconds)
            : throw new VoiceLoadException(modelPath, $"no Piper config beside it ({Path.GetFileName(config)})");
    }
}
