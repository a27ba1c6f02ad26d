using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// Abbreviations, expanded at their full stop when a word follows: "Dr. Smith" → "Doctor Smith",
/// "St. Mary" → "Saint Mary"; any other full stop is kept. The same list tells the segmenter which
/// full stops do not end a sentence.
/// </summary>
internal sealed class AbbreviationRule : ITextRule
{
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["Dr"] = "Doctor", ["Mr"] = "Mister", ["Mrs"] = "Missus", ["Ms"] = "Miz", ["Prof"] = "Professor", ["St"] = "Saint",
        ["Jr"] = "Junior", ["Sr"] = "Senior", ["vs"] = "versus", ["etc"] = "et cetera", ["approx"] = "approximately",
        ["Inc"] = "Incorporated", ["Ltd"] = "Limited", ["No"] = "number", ["Ave"] = "Avenue", ["Mt"] = "Mount",
    };

    /// <summary>True for a word whose full stop does not end a sentence ("Dr", "Mr", "etc").</summary>
    public static bool IsAbbreviation(ReadOnlySpan<char> word) =>
        Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(word);

    public int TryRead(ReadOnlySpan<char> text, int at, int limit, StringBuilder output)
    {
        if (text[at] != '.')
        {
            return -1;
        }

        // The word is the Latin letters just written before the full stop.
        var wordStart = output.Length;
        while (wordStart > 0 && char.IsAsciiLetter(output[wordStart - 1]))
        {
            wordStart--;
        }

        var nextIsWord = at + 1 < text.Length && text[at + 1] == ' ';
        if (wordStart < output.Length && (wordStart == 0 || !char.IsAsciiLetter(output[wordStart - 1])) && nextIsWord &&
            Abbreviations.TryGetValue(output.ToString(wordStart, output.Length - wordStart), out var full))
        {
            output.Remove(wordStart, output.Length - wordStart).Append(full);
        }
        else
        {
            output.Append('.');
        }

        return at + 1;
    }
}
