using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// White space and invisible characters: any run of white space and control characters becomes one
/// space; zero-width joiners and emoji presentation selectors are dropped; at the end, one space is left
/// wherever dropped characters left two, none before closing punctuation and none at the ends.
/// </summary>
internal sealed class WhiteSpaceRule : ITextRule
{
    public int TryRead(ReadOnlySpan<char> text, int at, int limit, StringBuilder output)
    {
        var c = text[at];
        if (c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFE0E' or '\uFE0F')
        {
            return at + 1;
        }

        if (!char.IsWhiteSpace(c) && !char.IsControl(c))
        {
            return -1;
        }

        var stop = at;
        while (stop < limit && (char.IsWhiteSpace(text[stop]) || char.IsControl(text[stop])))
        {
            stop++;
        }

        if (output.Length > 0 && output[^1] != ' ')
        {
            output.Append(' ');
        }

        return stop;
    }

    /// <summary>The finished text: one space wherever dropped characters left two, none before closing punctuation, none at the ends.</summary>
    public static string Collapse(StringBuilder output)
    {
        // Work on a copy: a StringBuilder's indexer walks its chunks on every access.
        var length = output.Length;
        var buffer = length <= 512 ? stackalloc char[length] : new char[length];
        output.CopyTo(0, buffer, length);
        if (length > 0 && buffer[0] != ' ' && buffer[^1] != ' ' && !HasSpaceToRemove(buffer))
        {
            return new string(buffer); // nothing to collapse: the usual case
        }

        var write = 0;
        foreach (var c in buffer)
        {
            if (c == ' ' && (write == 0 || buffer[write - 1] == ' '))
            {
                continue;
            }

            if (c is ',' or '.' or ';' or ':' or '!' or '?' or '，' or '。' && write > 0 && buffer[write - 1] == ' ')
            {
                write--; // no space before closing punctuation
            }

            buffer[write++] = c;
        }

        if (write > 0 && buffer[write - 1] == ' ')
        {
            write--;
        }

        return new string(buffer[..write]);
    }

    private static bool HasSpaceToRemove(ReadOnlySpan<char> text)
    {
        for (var at = text.IndexOf(' '); at >= 0 && at + 1 < text.Length; at = text[(at + 1)..].IndexOf(' ') is var next and >= 0 ? at + 1 + next : -1)
        {
            if (text[at + 1] is ' ' or ',' or '.' or ';' or ':' or '!' or '?' or '，' or '。')
            {
                return true;
            }
        }

        return false;
    }
}
