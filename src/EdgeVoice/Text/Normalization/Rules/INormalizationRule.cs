using System.Text;

namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// One kind of written text that starts at a character the normaliser stops at (a digit, a sign, a
/// symbol, a full stop, white space): reads it and writes what is said, in English or in Chinese.
/// </summary>
internal interface ITextRule
{
    /// <summary>
    /// Reads the text at <paramref name="at"/> (seeing all of <paramref name="text"/> for context, reading
    /// no further than <paramref name="limit"/>) when it is this rule's kind; returns where plain text
    /// resumes, or -1 with nothing written when it is not.
    /// </summary>
    int TryRead(ReadOnlySpan<char> text, int at, int limit, StringBuilder output);
}

/// <summary>One kind of number (telephone, date, money, …), tried in order on what starts with a digit, a currency sign or a plus.</summary>
internal interface INumberRule
{
    /// <summary>Writes the number at <paramref name="input"/> when it is this rule's kind and returns how many characters it read; 0 with nothing written when it is not.</summary>
    int TryRead(in NumberInput input, StringBuilder output);
}

/// <summary>A number about to be read: where it is, whether its surroundings are Chinese, and its amount when it has one.</summary>
internal readonly ref struct NumberInput
{
    public NumberInput(ReadOnlySpan<char> text, int start, int limit, bool chinese)
    {
        Text = text;
        Start = start;
        Limit = limit;
        Chinese = chinese;
        Amount = Amount.Read(text[start..limit]);
    }

    /// <summary>All of the text, for the words around the number.</summary>
    public ReadOnlySpan<char> Text { get; }

    public int Start { get; }

    public int Limit { get; }

    /// <summary>True when the nearest letters around the number are Chinese: it is read in Chinese.</summary>
    public bool Chinese { get; }

    /// <summary>From the number to the end of what may be read.</summary>
    public ReadOnlySpan<char> Rest => Text[Start..Limit];

    /// <summary>What follows the amount.</summary>
    public ReadOnlySpan<char> After => Text[(Start + Amount.Length)..Limit];

    /// <summary>The amount at the start (an optional currency sign, digits with thousands separators, a fraction); <see cref="Amount.Length"/> 0 when none.</summary>
    public Amount Amount { get; }
}
