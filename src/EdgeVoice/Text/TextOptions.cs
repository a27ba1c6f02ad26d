using Microsoft.Extensions.Options;

namespace EdgeVoice.Text;

/// <summary>Settings of the Text stage (configuration section <c>Text</c>).</summary>
internal sealed class TextOptions
{
    public const string Section = "Text";

    /// <summary>Longest chunk handed to a voice, in characters. Bounds memory and time to first audio.</summary>
    public int MaxChunkChars { get; set; } = 100;
}

internal sealed class TextOptionsValidator : IValidateOptions<TextOptions>
{
    public ValidateOptionsResult Validate(string? name, TextOptions options) =>
        options.MaxChunkChars is < Segmenter.MinChunkChars or > 10_000
            ? ValidateOptionsResult.Fail($"Text:MaxChunkChars must be between {Segmenter.MinChunkChars} and 10000 (got {options.MaxChunkChars}).")
            : ValidateOptionsResult.Success;
}
