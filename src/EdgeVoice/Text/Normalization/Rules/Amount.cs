namespace EdgeVoice.Text.Normalization.Rules;

/// <summary>
/// <c>[$€£¥￥]? (d{1,3}(,ddd)+ | d+) (.d+)?</c>, read by hand (the common case of every number):
/// the currency sign, the integer without its commas and the fraction's digits.
/// </summary>
internal readonly record struct Amount(char Currency, string Integer, int FractionStart, int FractionLength, int Length)
{
    /// <summary>True when an amount was read (at least one digit).</summary>
    public bool Found => Length > 0;

    /// <summary>True when there is a decimal fraction.</summary>
    public bool HasFraction => FractionLength > 0;

    /// <summary>The fraction's digits, out of the text the amount was read from.</summary>
    public ReadOnlySpan<char> Fraction(ReadOnlySpan<char> rest) => rest.Slice(FractionStart, FractionLength);

    public static bool IsCurrency(char c) => c is '$' or '€' or '£' or '¥' or '￥';

    /// <summary>The amount at the start of <paramref name="rest"/>; <c>default</c> when no digit is there.</summary>
    public static Amount Read(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return default;
        }

        var currency = IsCurrency(rest[0]) ? rest[0] : '\0';
        var i = currency == '\0' ? 0 : 1;
        var digitsStart = i;
        while (i < rest.Length && char.IsAsciiDigit(rest[i]))
        {
            i++;
        }

        var digitsEnd = i;
        if (digitsEnd == digitsStart)
        {
            return default;
        }

        // Thousands separators: groups of exactly three digits after a first group of one to three.
        var grouped = digitsEnd - digitsStart <= 3;
        var groupsEnd = digitsEnd;
        while (grouped && groupsEnd + 3 < rest.Length && rest[groupsEnd] == ',' && char.IsAsciiDigit(rest[groupsEnd + 1]) &&
               char.IsAsciiDigit(rest[groupsEnd + 2]) && char.IsAsciiDigit(rest[groupsEnd + 3]) &&
               (groupsEnd + 4 >= rest.Length || !char.IsAsciiDigit(rest[groupsEnd + 4])))
        {
            groupsEnd += 4;
        }

        var integer = groupsEnd > digitsEnd ? rest[digitsStart..groupsEnd].ToString().Replace(",", "", StringComparison.Ordinal) : rest[digitsStart..digitsEnd].ToString();
        i = groupsEnd;
        var fractionStart = i;
        if (i + 1 < rest.Length && rest[i] == '.' && char.IsAsciiDigit(rest[i + 1]))
        {
            fractionStart = i + 1;
            i = fractionStart;
            while (i < rest.Length && char.IsAsciiDigit(rest[i]))
            {
                i++;
            }
        }

        return new Amount(currency, integer, fractionStart, i - fractionStart, i);
    }
}
