using System.Text;
using EdgeVoice.Text.Normalization;
using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

/// <summary>
/// Runs one rule on a table row. A row is written text with a bar where the rule starts ("价格|¥100"):
/// the text before the bar is taken as already written, the rule reads from the bar, and the result is
/// what was written followed by whatever the rule left unread; null when the rule does not apply.
/// </summary>
internal static class RuleTable
{
    public static string? Number(INumberRule rule, string row)
    {
        var (text, at) = Split(row);
        var output = new StringBuilder(text[..at]);
        var read = rule.TryRead(new NumberInput(text, at, text.Length, Normalizer.ChineseContext(text, at)), output);
        if (read == 0)
        {
            Assert.Equal(text[..at], output.ToString());
            return null;
        }

        return output.Append(text.AsSpan(at + read)).ToString();
    }

    public static string? Text(ITextRule rule, string row)
    {
        var (text, at) = Split(row);
        var output = new StringBuilder(text[..at]);
        var next = rule.TryRead(text, at, text.Length, output);
        if (next < 0)
        {
            Assert.Equal(text[..at], output.ToString());
            return null;
        }

        Assert.True(next > at, "a rule that applies reads at least one character");
        return output.Append(text.AsSpan(next)).ToString();
    }

    private static (string Text, int At) Split(string row)
    {
        var at = row.IndexOf('|', StringComparison.Ordinal);
        return at < 0 ? (row, 0) : (row.Remove(at, 1), at);
    }
}
