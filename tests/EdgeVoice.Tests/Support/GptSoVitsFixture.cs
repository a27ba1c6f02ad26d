using EdgeVoice.Voices.GptSoVits;

namespace EdgeVoice.Tests.Support;

/// <summary>
/// A copy of a GPT-SoVITS test bundle (made by Fixtures/make_gpt_sovits_fixtures.py) and a voices
/// folder, both in a temporary folder the test owns, plus reference clips spoken by espeak-ng.
/// </summary>
internal sealed class GptSoVitsFixture : IDisposable
{
    public const string ReferenceText = "Hello there, this is a short reference clip for the voice cloning test.";

    public GptSoVitsFixture(string bundle = "min")
    {
        Root = Path.Combine(Path.GetTempPath(), $"edgevoice-gsv-{Guid.NewGuid():N}");
        Bundle = Path.Combine(Root, "bundle");
        Voices = Path.Combine(Root, "voices");
        Directory.CreateDirectory(Bundle);
        Directory.CreateDirectory(Voices);
        foreach (var file in Directory.GetFiles(Source(bundle), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(Bundle, Path.GetRelativePath(Source(bundle), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    public string Root { get; }

    public string Bundle { get; }

    public string Voices { get; }

    public static string Source(string bundle) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "gpt-sovits", bundle);

    /// <summary>A WAV of espeak-ng saying <paramref name="text"/> with <paramref name="leadingSilence"/> seconds of quiet before and after.</summary>
    public string Clip(string text = ReferenceText, double leadingSilence = 0.5, int times = 1)
    {
        var speech = TestVoices.Espeak.Synthesize(text, "en-us", 175, CancellationToken.None);
        var rate = TestVoices.Espeak.SampleRate;
        var gap = (int)(leadingSilence * rate);
        var samples = new float[(2 * gap) + (speech.Length * times)];
        for (var t = 0; t < times; t++)
        {
            for (var i = 0; i < speech.Length; i++)
            {
                samples[gap + (t * speech.Length) + i] = speech[i] / 32768f * 0.3f;
            }
        }

        var path = Path.Combine(Root, $"clip-{Guid.NewGuid():N}.wav");
        TestWav.Write(path, rate, samples);
        return path;
    }

    public GptSoVitsVoiceSpec Enroll(string name = "demo", GptSoVitsOptions? options = null, string? clip = null)
    {
        var result = Enrollment.Enroll(name, Bundle, clip ?? Clip(), ReferenceText, "en", Voices, force: true, TestVoices.Sessions(), TestVoices.Espeak, options ?? new GptSoVitsOptions());
        return new GptSoVitsVoiceSpec(name, result.Folder, Bundle, Path.Combine(result.Folder, "reference.wav"), ReferenceText, "en");
    }

    public static GptSoVitsVoice Load(GptSoVitsVoiceSpec spec, GptSoVitsOptions? options = null, List<string>? warnings = null) =>
        GptSoVitsVoice.Load(spec, TestVoices.Sessions(), TestVoices.Espeak, options ?? new GptSoVitsOptions(), w => warnings?.Add(w));

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
