using Microsoft.Extensions.Options;

namespace EdgeVoice.Text;

/// <summary>Settings of the Text stage (configuration section <c>Text</c>).</summary>
internal sealed class TextOptions
{
    public const string Section = "Text";

    /// <summary>Longest chunk handed to a voice, in characters. Bounds memory and time to first audio.</summary>
    public int MaxChunkChars { get; set; } = 100;

    /// <summary>Pause of <c>[uv_break]</c> and of a weak SSML break, in milliseconds.</summary>
    public int ShortPauseMs { get; set; } = 250;

    /// <summary>Pause of <c>[lbreak]</c>, of a strong SSML break and after an SSML paragraph, in milliseconds.</summary>
    public int LongPauseMs { get; set; } = 700;
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

        if (options.ShortPauseMs is < 0 or > 10_000 || options.LongPauseMs is < 0 or > 10_000)
        {
            failures.Add($"Text:ShortPauseMs and Text:LongPauseMs must be between 0 and 10000 (got {options.ShortPauseMs} and {options.LongPauseMs}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
