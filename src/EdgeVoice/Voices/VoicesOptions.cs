using Microsoft.Extensions.Options;

namespace EdgeVoice.Voices;

/// <summary>Settings of the voices (configuration section <c>Voices</c>).</summary>
internal sealed class VoicesOptions
{
    public const string Section = "Voices";

    /// <summary>Folder holding one sub-folder per installed voice.</summary>
    public string Directory { get; set; } = "voices";

    /// <summary>Voice used when a request names none. Empty: the first installed voice by name, else the built-in espeak voice.</summary>
    public string Default { get; set; } = "";

    /// <summary>espeak-ng voice behind the built-in <c>espeak</c> voice.</summary>
    public string EspeakVoice { get; set; } = "en-us";

    /// <summary>Speaking rate of espeak-ng voices, in words per minute.</summary>
    public int EspeakRate { get; set; } = 175;

    /// <summary>Silence after each sentence of a Piper voice, in seconds.</summary>
    public double PiperSentenceSilenceSeconds { get; set; } = 0.2;

    /// <summary>
    /// Lets a voice's manifest name files outside <c>Voices:Directory</c>. Off: every path a
    /// <c>voice.json</c> names (and every bare Piper model) must resolve, symbolic links followed, inside
    /// the voices folder, else the voice is refused with the reason (GPT-SoVITS bundles may also lie in
    /// <c>Voices:BundleDirectories</c>).
    /// </summary>
    public bool AllowPathsOutside { get; set; }

    /// <summary>
    /// Folders outside <c>Voices:Directory</c> where shared GPT-SoVITS bundles may lie (the
    /// <c>bundle</c> a voice enrolled with <c>voices enroll --bundle</c> names). Empty: only inside the voices folder.
    /// </summary>
    public List<string> BundleDirectories { get; set; } = [];

    /// <summary>
    /// Characters of the warm-up sentence of voices that synthesise a chunk in one run (Piper, espeak):
    /// as long as the longest chunk (<c>Text:MaxChunkChars</c>), so the memory the largest chunk needs is
    /// taken at start and speaking adds none later, however long the text. A GPT-SoVITS voice warms up
    /// on a short word (its warm-up runs every graph; a long one would take seconds). 0: a short word for all.
    /// </summary>
    public int WarmUpChars { get; set; } = 100;
}

internal sealed class VoicesOptionsValidator : IValidateOptions<VoicesOptions>
{
    public ValidateOptionsResult Validate(string? name, VoicesOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add("Voices:Directory must name a folder.");
        }

        if (options.WarmUpChars is < 0 or > 10_000)
        {
            failures.Add($"Voices:WarmUpChars must be between 0 and 10000 (got {options.WarmUpChars}).");
        }

        if (options.PiperSentenceSilenceSeconds is < 0 or > 5)
        {
            failures.Add($"Voices:PiperSentenceSilenceSeconds must be between 0 and 5 (got {options.PiperSentenceSilenceSeconds}).");
        }

        if (string.IsNullOrWhiteSpace(options.EspeakVoice))
        {
            failures.Add("Voices:EspeakVoice must name an espeak-ng voice (for example 'en-us', 'de' or 'cmn').");
        }

        if (options.EspeakRate is < 80 or > 450)
        {
            failures.Add($"Voices:EspeakRate must be between 80 and 450 words per minute (got {options.EspeakRate}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
