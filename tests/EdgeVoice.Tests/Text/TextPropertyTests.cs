using System.Globalization;
using System.Text;
using EdgeVoice.Text;
using EdgeVoice.Text.Normalization;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Text;

/// <summary>
/// What must hold for any input: no chunk over the limit, no empty chunk, no split surrogate pair
/// or grapheme cluster, and the chunks' speakable content, joined, is the input's, in order.
/// </summary>
public sealed partial class TextPropertyTests
{
    private static readonly string[] Pieces =
    [
        "Hello", "world", "。", "，", ".", ",", "!", "?", " ", "  ", "\n", "3.14", "iPhone15", "你好", "世界", "😀", "👍🏽", "é", "e\u0301",
        "\"", "；", "a", "supercalifragilisticexpialidocious", "2024年", "$5.20", "12:30", "50%", "https://example.com/a/b?c=d", "—",
        "(", ")", "《书》", "第3", "-7", "1,234,567", "Dr.", "こんにちは", "안녕하세요", "🇨🇳", "\t",
    ];

    private static TextPlan Plan(string text, int max) =>
        new TextPlanner(Options.Create(new TextOptions { MaxChunkChars = max })).Plan(text);

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 12)]
    [InlineData(3, 37)]
    [InlineData(4, 100)]
    public void Chunks_AreBounded_NonEmpty_Whole_AndTogetherAreTheInput(int seed, int max)
    {
        var random = new Random(seed);
        for (var round = 0; round < 400; round++)
        {
            var text = RandomText(random, random.Next(0, 60));

            var chunks = Plan(text, max).ToList();

            foreach (var chunk in chunks)
            {
                Assert.InRange(chunk.Text.Length, 1, max);
                Assert.False(char.IsHighSurrogate(chunk.Text[^1]), $"a chunk ends inside a surrogate pair: {chunk.Text}");
                Assert.False(char.IsLowSurrogate(chunk.Text[0]), $"a chunk starts inside a surrogate pair: {chunk.Text}");
                Assert.False(CharUnicodeInfo.GetUnicodeCategory(chunk.Text[0]) == UnicodeCategory.NonSpacingMark, $"a chunk starts with a combining mark: {chunk.Text}");
            }

            // Speakable content: letters and digits. Normalising the text whole or chunk by chunk says the
            // same, unless one unbroken token is longer than the limit and had to be cut inside.
            if (LongestToken(text) <= max)
            {
                Assert.Equal(Speakable(Normalizer.Normalize(text)), Speakable(string.Concat(chunks.Select(c => c.Text))));
            }
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void Segmenter_RawPieces_NeverSplitAWordOrNumberThatFits(int max)
    {
        var random = new Random(max);
        var segmenter = new Segmenter(max);
        for (var round = 0; round < 300; round++)
        {
            var text = RandomText(random, random.Next(1, 40));

            var tokens = WordsNumbersAndUrls().Matches(text);
            foreach (var (start, end, _) in segmenter.Pieces(text, 0, text.Length))
            {
                Assert.True(end <= text.Length && end > start);
                foreach (System.Text.RegularExpressions.Match token in tokens)
                {
                    // A word, a number or a URL is cut only as a last resort: when the unbroken run holding it
                    // (no space, no Chinese script, digits glued to their neighbours) is longer than the limit.
                    var cut = start > token.Index && start < token.Index + token.Length ? start
                        : end > token.Index && end < token.Index + token.Length ? end : -1;
                    Assert.False(cut > 0 && TokenAround(text, cut) <= max, $"'{token.Value}' was cut though it fits in {max}: '{text}'");
                }
            }
        }
    }

    /// <summary>10,000 random inputs (any Unicode, markup fragments, huge numbers): no exception, and every chunk within the limit.</summary>
    [Fact]
    public void Fuzz_TenThousandRandomInputs_NoException()
    {
        var random = new Random(20261123);
        string[] fragments = ["\u200D", "[uv_break]", "[speed_", "[pause_99999999ms]", "[", "]", "<speak>", "</p>", "&amp;", "99999999999999999999999999", "-", "$", "%", "¥", ":", "::", "1:99", "2024-13-45", "+", "第", "年"];
        for (var round = 0; round < 10_000; round++)
        {
            var builder = new StringBuilder();
            var parts = random.Next(0, 12);
            for (var i = 0; i < parts; i++)
            {
                switch (random.Next(4))
                {
                    case 0:
                        builder.Append(fragments[random.Next(fragments.Length)]);
                        break;
                    case 1:
                        builder.Append(Pieces[random.Next(Pieces.Length)]);
                        break;
                    case 2:
                        builder.Append(random.NextInt64().ToString(CultureInfo.InvariantCulture));
                        break;
                    default:
                        for (var n = random.Next(1, 8); n > 0; n--)
                        {
                            builder.Append((char)random.Next(0, 0xFFFF));
                        }

                        break;
                }
            }

            var text = builder.ToString();
            var max = random.Next(Segmenter.MinChunkChars, 120);
            var plan = Plan(text, max);
            foreach (var chunk in plan)
            {
                Assert.InRange(chunk.Text.Length, 1, max);
            }

            if (random.Next(10) == 0)
            {
                _ = Ssml.TryValidate(text, out _);
            }
        }
    }

    private static string RandomText(Random random, int pieces)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return builder.ToString();
    }

    private static string Speakable(string text) => new([.. text.Where(char.IsLetterOrDigit)]);

    /// <summary>Words and numbers (3.14, 1,234,567, 12:30, 2024-05-01) and URLs.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"https?://[\x21-\x7E]+|[A-Za-z0-9]+(?:[.,:/%-][A-Za-z0-9]+)*")]
    private static partial System.Text.RegularExpressions.Regex WordsNumbersAndUrls();

    /// <summary>What the Text stage promises not to cut through: no white space, no Chinese/Japanese/Korean script, or a digit on either side.</summary>
    private static bool InsideToken(char before, char after) =>
        !char.IsWhiteSpace(before) && !char.IsWhiteSpace(after) &&
        (char.IsAsciiDigit(before) || char.IsAsciiDigit(after) || (!IsCjkOrCjkPunctuation(before) && !IsCjkOrCjkPunctuation(after)));

    private static bool IsCjkOrCjkPunctuation(char c) =>
        Script.IsCjk(c) || c is >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFF65';

    private static int TokenAround(string text, int at)
    {
        var start = at;
        while (start > 0 && InsideToken(text[start - 1], text[start]))
        {
            start--;
        }

        var end = at;
        while (end < text.Length - 1 && InsideToken(text[end], text[end + 1]))
        {
            end++;
        }

        return end - start + 1;
    }

    private static int LongestToken(string text)
    {
        var longest = 0;
        var length = text.Length == 0 ? 0 : 1;
        for (var i = 1; i < text.Length; i++)
        {
            length = InsideToken(text[i - 1], text[i]) ? length + 1 : 1;
            longest = Math.Max(longest, length);
        }

        return Math.Max(longest, length);
    }
}
