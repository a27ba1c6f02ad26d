using System.Globalization;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>Settings of GPT-SoVITS voices (configuration section <c>GptSoVits</c>).</summary>
internal sealed class GptSoVitsOptions
{
    public const string Section = "GptSoVits";

    /// <summary>Sampling: only the this many most likely next tokens are drawn from (1 always takes the most likely).</summary>
    public int TopK { get; set; } = 15;

    /// <summary>Sampling: the smallest set of likely tokens whose probability passes this is kept (1 keeps all).</summary>
    public double TopP { get; set; } = 1.0;

    /// <summary>Sampling temperature: below 1 is steadier, above 1 more varied.</summary>
    public double Temperature { get; set; } = 1.0;

    /// <summary>Logits of tokens already said (prompt included) are divided (positive) or multiplied (negative) by this.</summary>
    public double RepetitionPenalty { get; set; } = 1.35;

    /// <summary>Seed of the sampler. Set, the same text gives the same audio every time; empty, every run differs.</summary>
    public int? Seed { get; set; }

    /// <summary>End-of-speech is not accepted before this many tokens.</summary>
    public int MinTokens { get; set; } = 11;

    /// <summary>Most tokens one chunk may have (25 a second); a chunk's own limit is 50 + 10 per phone, at most this.</summary>
    public int MaxTokens { get; set; } = 1500;

    /// <summary>KV-cache lengths to choose from, comma-separated, smallest first; a chunk starts in the smallest that fits and grows as it speaks. A model with a fixed cache length uses that length.</summary>
    public string CacheBuckets { get; set; } = "512,1024,2048";

    /// <summary>SoVITS decoder noise.</summary>
    public double NoiseScale { get; set; } = 0.5;

    /// <summary>Streaming: tokens decoded to audio at a time (25 a second).</summary>
    public int StreamTokens { get; set; } = 24;

    /// <summary>Streaming: tokens of a chunk's first piece, so the first audio comes sooner; the pieces after it have <see cref="StreamTokens"/>. 0 makes the first piece as long as the others.</summary>
    public int FirstPieceTokens { get; set; } = 6;

    /// <summary>
    /// Streaming: tokens after the first piece decoded with it (at most <see cref="StreamLookahead"/>).
    /// The first audio waits for <see cref="FirstPieceTokens"/> plus these; the piece after it
    /// cross-fades over the first piece's end, which is where a short lookahead would show.
    /// </summary>
    public int FirstPieceLookahead { get; set; } = 4;

    /// <summary>Streaming: tokens after a piece that are decoded with it, so its end sounds right.</summary>
    public int StreamLookahead { get; set; } = 16;

    /// <summary>Streaming: tokens before a piece that are decoded with it, so its start sounds right.</summary>
    public int StreamHistory { get; set; } = 32;

    /// <summary>Streaming: samples cross-faded where two pieces meet.</summary>
    public int CrossfadeSamples { get; set; } = 256;

    /// <summary>Silence after each sentence, in seconds.</summary>
    public double SentenceSilenceSeconds { get; set; } = 0.3;

    /// <summary>Enrollment: loudness the reference clip is brought to, in LUFS (its peak kept below -0.5 dBFS).</summary>
    public double ReferenceLoudnessLufs { get; set; } = -20;

    /// <summary>The most tokens a chunk with <paramref name="targetPhones"/> phones may have: 50 + 10 a phone (0.4 s a phone at 25 tokens a second), at most <see cref="MaxTokens"/>.</summary>
    public int StepLimit(int targetPhones) => Math.Min(MaxTokens, 50 + (10 * targetPhones));

    /// <summary>The cache buckets as numbers (valid once the options are validated).</summary>
    public int[] Buckets() =>
        [.. CacheBuckets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(b => int.Parse(b, CultureInfo.InvariantCulture)).Order()];
}

internal sealed class GptSoVitsOptionsValidator : IValidateOptions<GptSoVitsOptions>
{
    public ValidateOptionsResult Validate(string? name, GptSoVitsOptions options)
    {
        var failures = new List<string>();
        void Check(bool ok, string sentence)
        {
            if (!ok)
            {
                failures.Add(sentence);
            }
        }

        Check(options.TopK is >= 1 and <= 1025, $"GptSoVits:TopK must be between 1 and 1025 (got {options.TopK}).");
        Check(options.TopP is > 0 and <= 1, $"GptSoVits:TopP must be above 0 and at most 1 (got {options.TopP}).");
        Check(options.Temperature is > 0 and <= 5, $"GptSoVits:Temperature must be above 0 and at most 5 (got {options.Temperature}).");
        Check(options.RepetitionPenalty is >= 1 and <= 5, $"GptSoVits:RepetitionPenalty must be between 1 and 5 (got {options.RepetitionPenalty}).");
        Check(options.MinTokens is >= 0 and <= 100, $"GptSoVits:MinTokens must be between 0 and 100 (got {options.MinTokens}).");
        Check(options.MaxTokens is >= 25 and <= 10000, $"GptSoVits:MaxTokens must be between 25 and 10000 (got {options.MaxTokens}).");
        var buckets = options.CacheBuckets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Check(buckets.Length > 0 && buckets.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 16 and <= 65536),
            $"GptSoVits:CacheBuckets must be comma-separated lengths between 16 and 65536 (got '{options.CacheBuckets}').");
        Check(options.NoiseScale is >= 0 and <= 2, $"GptSoVits:NoiseScale must be between 0 and 2 (got {options.NoiseScale}).");
        Check(options.StreamTokens is >= 4 and <= 1000, $"GptSoVits:StreamTokens must be between 4 and 1000 (got {options.StreamTokens}).");
        Check(options.FirstPieceTokens is 0 or (>= 2 and <= 1000), $"GptSoVits:FirstPieceTokens must be 0 or between 2 and 1000 (got {options.FirstPieceTokens}).");
        Check(options.FirstPieceLookahead is >= 0 and <= 200, $"GptSoVits:FirstPieceLookahead must be between 0 and 200 (got {options.FirstPieceLookahead}).");
        Check(options.StreamLookahead is >= 0 and <= 200, $"GptSoVits:StreamLookahead must be between 0 and 200 (got {options.StreamLookahead}).");
        Check(options.StreamHistory is >= 1 and <= 1000, $"GptSoVits:StreamHistory must be between 1 and 1000 (got {options.StreamHistory}).");
        Check(options.CrossfadeSamples is >= 0 and <= 1280, $"GptSoVits:CrossfadeSamples must be between 0 and 1280, one token (got {options.CrossfadeSamples}).");
        Check(options.SentenceSilenceSeconds is >= 0 and <= 5, $"GptSoVits:SentenceSilenceSeconds must be between 0 and 5 (got {options.SentenceSilenceSeconds}).");
        Check(options.ReferenceLoudnessLufs is >= -40 and <= -5, $"GptSoVits:ReferenceLoudnessLufs must be between -40 and -5 (got {options.ReferenceLoudnessLufs}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
