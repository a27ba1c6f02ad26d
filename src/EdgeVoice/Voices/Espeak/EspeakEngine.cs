using Microsoft.Extensions.Options;

namespace EdgeVoice.Voices.Espeak;

/// <summary>The built-in engine: <c>espeak</c> (espeak-ng's <c>Voices:EspeakVoice</c>) and <c>espeak:NAME</c> for any espeak-ng voice; nothing to install.</summary>
internal sealed class EspeakEngine(EspeakLibrary espeak, IOptions<VoicesOptions> options) : IVoiceEngine
{
    public const string EngineName = "espeak";
    private const string Prefix = EngineName + ":";

    public string Name => EngineName;

    public bool LoadsInstalledVoices => false;

    public IVoice Load(VoiceManifest manifest) =>
        throw new VoiceLoadException(manifest.Path, "espeak voices are built in, not installed");

    public bool TryCreate(string name, out IVoice voice)
    {
        voice = null!;
        var settings = options.Value;
        string? espeakVoice = null;
        if (name.Equals(EngineName, StringComparison.OrdinalIgnoreCase))
        {
            espeakVoice = settings.EspeakVoice;
        }
        else if (name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && name.Length > Prefix.Length)
        {
            espeakVoice = name[Prefix.Length..];
        }

        if (espeakVoice is null || !espeak.HasVoice(espeakVoice))
        {
            return false;
        }

        voice = new EspeakVoice(name, espeakVoice, settings.EspeakRate, espeak);
        return true;
    }
}
