using Microsoft.Extensions.Options;

namespace EdgeVoice.Text;

/// <summary>Settings of the Text stage (configuration section <c>Text</c>).</summary>
internal sealed class TextOptions
{
    public const string Section = "Text";

    /// <summary>Longest chunk handed to a voice, in characters. Bounds memory and time to first audio.</summary>
    public int MaxChunkChars { get; set; } = 100;

    /// <summary>
    /// The first chunk of an utterance is cut short at the strongest boundary inside this many
    /// characters (a sentence end, else a clause mark, else a phrase mark, else a space, in English
    /// the last one after a content word and before a function word: "Welcome | to the station") when the
    /// first sentence is longer, so the first audio comes sooner; the rest is cut as usual. The cut
    /// is made only where it leaves at least half this many characters of the sentence; a value at
    /// or above <c>Text:MaxChunkChars</c> changes nothing. 0 turns it off.
    /// </summary>
    public int FirstChunkChars { get; set; } = 30;

    /// <summary>Pause of <c>[uv_break]</c> and of a weak SSML break, in milliseconds.</summary>
    public int ShortPauseMs { get; set; } = 250;

    /// <summary>Pause of <c>[lbreak]</c>, of a strong SSML break and after an SSML paragraph, in milliseconds.</summary>
    public int LongPauseMs { get; set; } = 700;

    /// <summary>
    /// Longest pause between two chunks, in milliseconds, whatever made it (markers, SSML breaks,
    /// paragraph and sentence ends, all of them together); a longer one is shortened to this, with a
    /// warning on <c>finished</c>. At most 10000.
    /// </summary>
    public int MaxPauseMs { get; set; } = 10_000;

    /// <summary>
    /// Most silence one request's pauses may add up to, in milliseconds; pauses beyond it are left
    /// out, with a warning on <c>finished</c>. Bounds how long a request of nothing but pauses plays.
    /// </summary>
    public int MaxSilenceMs { get; set; } = 60_000;
}

internal sealed class TextOptionsValidator : IValidateOptions<TextOptions>
{
    public ValidateOptionsResult Validate(string? name, TextOptions options)
    {
        var failures = new List<string>();
        if (options.MaxChunkChars is < Segmenter.MinChunkChars or > 10_000)
        {
            failures.Add($"Text:MaxChunkChars must be between {Segmenter.MinChunkChars} and 10000 (got {options.MaxChunkChars}).");
        }

        if (options.FirstChunkChars != 0 && options.FirstChunkChars is < Segmenter.MinChunkChars or > 10_000)
        {
            failures.Add($"Text:FirstChunkChars must be 0 (off) or between {Segmenter.MinChunkChars} and 10000 (got {options.FirstChunkChars}).");
        }

        if (options.ShortPauseMs is < 0 or > 10_000 || options.LongPauseMs is < 0 or > 10_000)
        {
            failures.Add($"Text:ShortPauseMs and Text:LongPauseMs must be between 0 and 10000 (got {options.ShortPauseMs} and {options.LongPauseMs}).");
        }

        if (options.MaxPauseMs is < 0 or > Markers.MaxPauseMs)
        {
            failures.Add($"Text:MaxPauseMs must be between 0 and {Markers.MaxPauseMs} (got {options.MaxPauseMs}).");
        }

        if (options.MaxSilenceMs is < 0 or > 86_400_000)
        {
            failures.Add($"Text:MaxSilenceMs must be between 0 and 86400000 (got {options.MaxSilenceMs}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
