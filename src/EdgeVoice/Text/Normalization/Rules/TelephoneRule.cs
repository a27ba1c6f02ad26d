using System.Text;
using System.Text.RegularExpressions;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Telephone numbers, digit by digit: "+1 555-123-4567" → "plus one, five five five, one two three, four five
/// six seven" (groups become commas); in Chinese, 13800138000 → 一三八零零一三八零零零.
/// </summary>
internal sealed partial class TelephoneRule : INumberRule
{
    public int TryRead(in NumberInput input, StringBuilder output)
    {
        var rest = input.Rest;
        Match match;
        if (!MayBeTelephone(rest) || !(match = Telephone().Match(NumberText.Head(rest, 40))).Success)
        {
            return 0;
        }

        if (input.Chinese)
        {
            ChineseNumbers.Digits(match.ValueSpan, output);
        }
        else
        {
            English(match.ValueSpan, output);
        }

        return match.Length;
    }

    /// <summary>Worth trying the pattern: a plus, a bracket, 3 or 4 digits and a separator, or 11 digits starting 1.</summary>
    private static bool MayBeTelephone(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 7)
        {
            return false;
        }

        if (rest[0] is '+' or '(')
        {
            return true;
        }

        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        return (digits is 3 or 4 && digits < rest.Length && rest[digits] is ' ' or '-' && digits + 1 < rest.Length && char.IsAsciiDigit(rest[digits + 1])) ||
               (digits == 11 && rest[0] == '1');
    }

    private static void English(ReadOnlySpan<char> number, StringBuilder output)
    {
        var first = true;
        foreach (var c in number)
        {
            if (c == '+')
            {
                output.Append("plus");
                first = false;
            }
            else if (char.IsAsciiDigit(c))
            {
                output.Append(first ? "" : " ").Append(EnglishNumbers.Cardinal(c - '0'));
                first = false;
            }
            else if (!first && output[^1] != ',')
            {
                output.Append(',');
            }
        }
    }

    [GeneratedRegex(@"^(?:\+\d{1,3}[ -]?)?(?:\(\d{2,4}\)[ -]?)?\d{3,4}[ -]\d{3,4}(?:[ -]\d{3,4})?(?!\d)|^1[3-9]\d{9}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Telephone();
}
