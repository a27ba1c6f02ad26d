using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeVoice.Inference;
using EdgeVoice.Voices.Espeak;
using EdgeVoice.Voices.GptSoVits.Frontend;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>
/// <c>edgevoice voices enroll</c>: makes a GPT-SoVITS voice from a bundle and a reference clip. The
/// clip is checked first (readable, 3 to 10 s of speech once normalised and trimmed), then the voice
/// folder gets the clip as <c>reference.wav</c>, a <c>voice.json</c>, and the speaker features cache.
/// </summary>
internal static partial class Enrollment
{
    public sealed record Result(string Folder, PreparedReference Reference, SpeakerFeatures Features);

    public static Result Enroll(
        string name, string bundleFolder, string clip, string referenceText, string language, string voicesFolder, bool force,
        SessionFactory sessions, EspeakLibrary espeak, GptSoVitsOptions options)
    {
        if (!VoiceName().IsMatch(name) || name.Equals(VoiceRegistry.BuiltInName, StringComparison.OrdinalIgnoreCase))
        {
            throw new EnrollmentException($"'{name}' cannot name a voice: use letters, digits, '-', '_' and '.', and not '{VoiceRegistry.BuiltInName}'");
        }

        if (language is not ("zh" or "en"))
        {
            throw new EnrollmentException($"--lang must be zh or en (got '{language}')");
        }

        if (string.IsNullOrWhiteSpace(referenceText))
        {
            throw new EnrollmentException("--ref-text must be what the reference clip says");
        }

        if (!File.Exists(clip))
        {
            throw new EnrollmentException($"the reference clip {clip} does not exist");
        }

        var prepared = PreparedReference.Prepare(clip, options.ReferenceLoudnessLufs); // fails before anything is written
        using var bundle = GptSoVitsBundle.Open(bundleFolder, sessions);
        var folder = Path.GetFullPath(Path.Combine(voicesFolder, name));
        var manifest = Path.Combine(folder, "voice.json");
        if (File.Exists(manifest) && !force)
        {
            throw new EnrollmentException($"a voice named '{name}' already exists in {folder}; --force replaces it");
        }

        var created = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        try
        {
            return Write(name, folder, manifest, clip, prepared, referenceText, language, bundle, espeak);
        }
        catch when (created)
        {
            Directory.Delete(folder, recursive: true); // nothing half-made is left behind
            throw;
        }
    }

    private static Result Write(
        string name, string folder, string manifest, string clip, PreparedReference prepared, string referenceText, string language, GptSoVitsBundle bundle, EspeakLibrary espeak)
    {
        var reference = Path.Combine(folder, "reference.wav");
        if (!string.Equals(Path.GetFullPath(clip), reference, StringComparison.Ordinal))
        {
            File.Copy(clip, reference, overwrite: true);
        }

        var spec = new GptSoVitsVoiceSpec(name, folder, bundle.Folder, reference, referenceText.Trim(), language);
        var features = SpeakerCache.Build(spec, bundle, new GptSoVitsFrontend(espeak, bundle.Symbols), prepared);
        var voice = new JsonObject
        {
            ["engine"] = "gpt-sovits",
            ["bundle"] = bundle.Folder,
            ["reference"] = "reference.wav",
            ["reference_text"] = spec.ReferenceText,
            ["language"] = language,
        };
        File.WriteAllText(manifest, voice.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        return new Result(folder, prepared, features);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex VoiceName();
}

/// <summary>An enrollment cannot be done as asked; the message says why.</summary>
internal sealed class EnrollmentException(string message) : Exception(message);
