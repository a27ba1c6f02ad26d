using EdgeVoice.Inference;
using EdgeVoice.Voices.Espeak;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>
/// GPT-SoVITS voices as <c>edgevoice voices enroll</c> writes them:
/// <c>{"engine": "gpt-sovits", "bundle": "…", "reference": "reference.wav", "reference_text": "…", "language": "en"}</c>.
/// </summary>
internal sealed partial class GptSoVitsEngine(SessionFactory sessions, EspeakLibrary espeak, IOptions<GptSoVitsOptions> options, ILogger<GptSoVitsEngine> logger) : IVoiceEngine
{
    public const string EngineName = "gpt-sovits";

    // Read now, so a bad GptSoVits setting stops the start (or the verb) with its message before any voice loads.
    private readonly GptSoVitsOptions _options = options.Value;

    public string Name => EngineName;

    public bool LoadsInstalledVoices => true;

    public IVoice Load(VoiceManifest manifest)
    {
        var spec = GptSoVitsVoice.Spec(manifest.Name, manifest.Folder, manifest.Root, manifest.Path);
        manifest.FullPath(spec.Bundle, bundle: true);
        manifest.FullPath(spec.Reference);
        return GptSoVitsVoice.Load(spec, sessions, espeak, _options, warning => Log.FeaturesRebuilt(logger, warning));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "GPT-SoVITS: {Warning}")]
        public static partial void FeaturesRebuilt(ILogger logger, string warning);
    }
}
