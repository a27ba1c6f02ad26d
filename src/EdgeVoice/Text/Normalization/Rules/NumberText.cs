using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>Small helpers the number rules share.</summary>
internal static class NumberText
{
    /// <summary>A short copy of the text ahead, for a regex that only looks at the start.</summary>
    public static string Head(ReadOnlySpan<char> text, int length) => text[..Math.Min(length, text.Length)].ToString();

    public static int Int(Group group) => int.Parse(group.ValueSpan, CultureInfo.InvariantCulture);
}
