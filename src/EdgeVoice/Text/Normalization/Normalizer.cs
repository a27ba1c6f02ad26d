using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeVoice.Text.Normalization;

/// <summary>
/// Turns written text into what is said, for English and Mandarin: numbers of every kind, dates,
/// times, money, units, telephone numbers, symbols and common abbreviations; Chinese numbers are
/// read in Chinese (2024年 → 二零二四年); English words and numbers inside Chinese get spaces
/// (iPhone15 → iPhone 15); emoji and control characters are dropped and white space folded.
/// Whether a number is read in Chinese is decided by the nearest letters around it.
/// </summary>
internal static partial class Normalizer
{
    // Where work may be needed; plain letters, spaces and punctuation between them are copied as they are.
    private static readonly SearchValues<char> Interesting = SearchValues.Create(
        "0123456789$€£¥￥&@+=%-\t\n\r\u000B\u000C\u00A0\u200B\u200C\u200D\u2060\uFE0E\uFE0F\u3000.第" +
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    private static readonly Dictionary<string, (string English, string Chinese)> UnitNames = new(StringComparer.Ordinal)
    {
        ["km"] = ("kilometers", "公里"), ["m"] = ("meters", "米"), ["cm"] = ("centimeters", "厘米"), ["mm"] = ("millimeters", "毫米"),
        ["kg"] = ("kilograms", "千克"), ["g"] = ("grams", "克"), ["mg"] = ("milligrams", "毫克"), ["t"] = ("tonnes", "吨"),
        ["l"] = ("liters", "升"), ["L"] = ("liters", "升"), ["ml"] = ("milliliters", "毫升"), ["mL"] = ("milliliters", "毫升"),
        ["°C"] = ("degrees Celsius", "摄氏度"), ["℃"] = ("degrees Celsius", "摄氏度"), ["°F"] = ("degrees Fahrenheit", "华氏度"), ["°"] = ("degrees", "度"),
        ["GB"] = ("gigabytes", "GB"), ["MB"] = ("megabytes", "MB"), ["KB"] = ("kilobytes", "KB"), ["TB"] = ("terabytes", "TB"),
        ["GHz"] = ("gigahertz", "吉赫"), ["MHz"] = ("megahertz", "兆赫"), ["kHz"] = ("kilohertz", "千赫"), ["Hz"] = ("hertz", "赫兹"),
        ["ms"] = ("milliseconds", "毫秒"), ["s"] = ("seconds", "秒"), ["min"] = ("minutes", "分钟"), ["h"] = ("hours", "小时"),
        ["km/h"] = ("kilometers per hour", "公里每小时"), ["mph"] = ("miles per hour", "英里每小时"), ["kW"] = ("kilowatts", "千瓦"),
        ["W"] = ("watts", "瓦"), ["V"] = ("volts", "伏"), ["mAh"] = ("milliamp hours", "毫安时"), ["mi"] = ("miles", "英里"),
    };

    /// <summary>One builder per thread, reused by every call: chunks are normalised one after another.</summary>
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private static readonly SearchValues<char> UnitStarts = SearchValues.Create(string.Concat(UnitNames.Keys.Select(k => k[0])));

    private static readonly string[] UnitsLongestFirst = [.. UnitNames.Keys.OrderByDescending(k => k.Length).ThenBy(k => k, StringComparer.Ordinal)];

    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["Dr"] = "Doctor", ["Mr"] = "Mister", ["Mrs"] = "Missus", ["Ms"] = "Miz", ["Prof"] = "Professor", ["St"] = "Saint",
        ["Jr"] = "Junior", ["Sr"] = "Senior", ["vs"] = "versus", ["etc"] = "et cetera", ["approx"] = "approximately",
        ["Inc"] = "Incorporated", ["Ltd"] = "Limited", ["No"] = "number", ["Ave"] = "Avenue", ["Mt"] = "Mount",
    };

    public static string Normalize(string text) => Normalize(text.AsSpan(), 0, text.Length);

    public static string Normalize(ReadOnlySpan<char> text) => Normalize(text, 0, text.Length);

    /// <summary>
    /// Normalises <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>) while seeing
    /// the text around it, so a chunk reads its numbers exactly as the whole text would.
    /// </summary>
    public static string Normalize(ReadOnlySpan<char> text, int start, int end)
    {
        var output = t_builder ??= new StringBuilder(256);
        output.Clear();
        var position = start;
        while (position < end)
        {
            var next = text[position..end].IndexOfAny(Interesting);
            var plainEnd = next < 0 ? end : position + next;
            AppendPlain(text[position..plainEnd], output);
            if (plainEnd >= end)
            {
                break;
            }

            position = Special(text, plainEnd, end, output);
        }

        return CollapseSpaces(output);
    }

    /// <summary>True for a word whose full stop does not end a sentence ("Dr", "Mr", "etc").</summary>
    public static bool IsAbbreviation(ReadOnlySpan<char> word) =>
        Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(word);

    /// <summary>One space wherever dropped characters left two, none before closing punctuation, none at the ends.</summary>
    private static string CollapseSpaces(StringBuilder output)
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

    /// <summary>Copies text without digits or symbols, dropping emoji, and spacing Chinese from Latin letters.</summary>
    private static void AppendPlain(ReadOnlySpan<char> plain, StringBuilder output)
    {
        if (plain.IsEmpty)
        {
            return;
        }

        var copied = 0;
        var previous = output.Length > 0 ? Classify(output[^1]) : CharClass.Other;
        for (var i = 0; i < plain.Length; i++)
        {
            var c = plain[i];
            var current = Classify(c);
            if (current == CharClass.Dropped)
            {
                // Emoji and pictographs (arrows, dingbats, symbols, emoji above U+FFFF) are not read;
                // other characters above U+FFFF (rare Han characters) are kept; a lone surrogate is dropped.
                output.Append(plain[copied..i]);
                var pair = char.IsHighSurrogate(c) && i + 1 < plain.Length && char.IsLowSurrogate(plain[i + 1]);
                if (pair && !IsEmoji(char.ConvertToUtf32(c, plain[i + 1])))
                {
                    output.Append(c).Append(plain[i + 1]);
                }

                if (pair)
                {
                    i++;
                }

                copied = i + 1;
                continue;
            }

            if (NeedsSpace(previous, current))
            {
                output.Append(plain[copied..i]).Append(' ');
                copied = i;
            }

            previous = current;
        }

        output.Append(plain[copied..]);
    }

    private enum CharClass : byte
    {
        Other,
        Letter,
        Digit,
        Cjk,
        Dropped,
    }

    private static CharClass Classify(char c) => c switch
    {
        < '0' => CharClass.Other,
        <= '9' => CharClass.Digit,
        < 'A' => CharClass.Other,
        <= 'Z' => CharClass.Letter,
        < 'a' => CharClass.Other,
        <= 'z' => CharClass.Letter,
        < '\u2190' => CharClass.Other,
        <= '\u2BFF' => CharClass.Dropped,
        < '\u3040' => CharClass.Other,
        <= '\u30FF' => CharClass.Cjk,
        < '\u3400' => CharClass.Other,
        <= '\u4DBF' => CharClass.Cjk,
        < '\u4E00' => CharClass.Other,
        <= '\u9FFF' => CharClass.Cjk,
        < '\uAC00' => CharClass.Other,
        <= '\uD7AF' => CharClass.Cjk,
        < '\uD800' => CharClass.Other,
        <= '\uDFFF' => CharClass.Dropped,
        < '\uF900' => CharClass.Other,
        <= '\uFAFF' => CharClass.Cjk,
        _ => CharClass.Other,
    };

    /// <summary>A space goes between Chinese and Latin letters or digits, and between letters and digits.</summary>
    private static bool NeedsSpace(CharClass before, CharClass after) =>
        before != after && before is CharClass.Letter or CharClass.Digit or CharClass.Cjk && after is CharClass.Letter or CharClass.Digit or CharClass.Cjk;

    /// <summary>Handles what starts at <paramref name="start"/> and returns where plain text resumes.</summary>
    private static int Special(ReadOnlySpan<char> text, int start, int limit, StringBuilder output)
    {
        var c = text[start];
        if (char.IsAsciiDigit(c) || (c is '$' or '€' or '£' or '¥' or '￥' && start + 1 < limit && char.IsAsciiDigit(text[start + 1])))
        {
            return Number(text, start, limit, output);
        }

        var signed = start + 1 < limit && char.IsAsciiDigit(text[start + 1]) && (start == 0 || !char.IsAsciiLetterOrDigit(text[start - 1]));
        switch (c)
        {
            case '-' when signed:
                output.Append(ChineseContext(text, start) ? "负" : (output.Length > 0 && output[^1] != ' ' ? " minus " : "minus "));
                return Number(text, start + 1, limit, output);
            case '+' when signed:
                return Number(text, start, limit, output);
            case '第' when start + 1 < limit && char.IsAsciiDigit(text[start + 1]):
                var end = start + 1;
                while (end < limit && char.IsAsciiDigit(text[end]))
                {
                    end++;
                }

                output.Append('第');
                ChineseNumbers.Integer(text[(start + 1)..end], output);
                return end;
            case '.':
                ExpandAbbreviation(text, start, output);
                return start + 1;
            case '&' or '@' or '+' or '=' or '%':
                Symbol(text, start, output);
                return start + 1;
            case '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFE0E' or '\uFE0F':
                return start + 1; // invisible joiners and emoji presentation selectors
            default:
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    // Fold any run of white space and control characters into one space.
                    var stop = start;
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

                output.Append(c);
                return start + 1;
        }
    }

    private static int Number(ReadOnlySpan<char> text, int start, int limit, StringBuilder output)
    {
        var end = ReadNumber(text, start, limit, output);

        // A number read in English is a word: keep it apart from letters that follow (15Pro → fifteen Pro).
        if (end < limit && char.IsAsciiLetter(text[end]) && output.Length > 0 && char.IsAsciiLetter(output[^1]))
        {
            output.Append(' ');
        }

        return end;
    }

    private static int ReadNumber(ReadOnlySpan<char> text, int start, int limit, StringBuilder output)
    {
        var chinese = ChineseContext(text, start);
        if (!chinese && output.Length > 0 && NeedsSpace(output[^1], '0'))
        {
            output.Append(' ');
        }

        var rest = text[start..limit];

        // The rarer shapes are tried only when their first characters fit (cheap checks), and only
        // then with a regex on a short copy; a plain amount, the common case, is read by hand.
        Match match;
        if (MayBeTelephone(rest) && (match = Telephone().Match(Head(rest, 40))).Success)
        {
            if (chinese) ChineseNumbers.Digits(match.ValueSpan, output); else TelephoneEnglish(match.ValueSpan, output);
            return start + match.Length;
        }

        if (text[start] == '+')
        {
            // Not a telephone number: an explicit plus sign.
            Symbol(text, start, output);
            return start + 1;
        }

        if (rest.Length >= 8 && rest[4] is '-' or '/' && (match = IsoDate().Match(Head(rest, 10))).Success)
        {
            Date(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture), int.Parse(match.Groups[3].ValueSpan, CultureInfo.InvariantCulture), chinese, output);
            return start + match.Length;
        }

        if (rest.Length >= 4 && (rest[1] == ':' || rest[2] == ':') && (match = ClockTime().Match(Head(rest, 16))).Success)
        {
            Time(match, chinese, output);
            return start + match.Length;
        }

        if (TryAmount(rest, out var currency, out var integer, out var fraction, out var length))
        {
            return start + Amount(currency, integer, rest.Slice(length - fraction.Length, fraction.Length), length, text, start, limit, chinese, output);
        }

        output.Append(text[start]);
        return start + 1;
    }

    private static string Head(ReadOnlySpan<char> text, int length) => text[..Math.Min(length, text.Length)].ToString();

    /// <summary>Worth trying the telephone pattern: a plus, a bracket, 3 or 4 digits and a separator, or 11 digits starting 1.</summary>
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

    /// <summary>
    /// Reads <c>[$€£¥]? (d{1,3}(,ddd)+ | d+) (.d+)?</c>: the integer without its commas and where the
    /// fraction's digits are; false when no digit follows.
    /// </summary>
    private static bool TryAmount(ReadOnlySpan<char> rest, out char currency, out string integer, out ReadOnlySpan<char> fraction, out int length)
    {
        currency = rest[0] is '$' or '€' or '£' or '¥' or '￥' ? rest[0] : '\0';
        var i = currency == '\0' ? 0 : 1;
        var digitsStart = i;
        while (i < rest.Length && char.IsAsciiDigit(rest[i]))
        {
            i++;
        }

        var digitsEnd = i;
        fraction = default;
        length = 0;
        integer = string.Empty;
        if (digitsEnd == digitsStart)
        {
            return false;
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

        integer = groupsEnd > digitsEnd ? rest[digitsStart..groupsEnd].ToString().Replace(",", "", StringComparison.Ordinal) : rest[digitsStart..digitsEnd].ToString();
        i = groupsEnd;
        if (i + 1 < rest.Length && rest[i] == '.' && char.IsAsciiDigit(rest[i + 1]))
        {
            var fractionStart = i + 1;
            i = fractionStart;
            while (i < rest.Length && char.IsAsciiDigit(rest[i]))
            {
                i++;
            }

            fraction = rest[fractionStart..i];
        }

        length = i;
        return true;
    }

    private static int Amount(char currencySign, string integer, ReadOnlySpan<char> fraction, int length, ReadOnlySpan<char> text, int start, int limit, bool chinese, StringBuilder output)
    {
        var after = text[(start + length)..limit];

        if (currencySign != '\0')
        {
            Money(currencySign.ToString(), integer, fraction, chinese, output);
            return length;
        }

        // 2024年: a year is read digit by digit in Chinese.
        if (after.StartsWith("年") && fraction.IsEmpty && integer.Length is 2 or 4)
        {
            ChineseNumbers.Digits(integer, output);
            return length;
        }

        if (after.StartsWith("%") || after.StartsWith("％"))
        {
            if (chinese)
            {
                output.Append("百分之");
                ChineseNumbers.Decimal(integer, fraction, output);
            }
            else
            {
                EnglishNumbers.Decimal(integer, fraction, output);
                output.Append(" percent");
            }

            return length + 1;
        }

        if (!chinese && fraction.IsEmpty && OrdinalSuffix(after) && long.TryParse(integer, CultureInfo.InvariantCulture, out var ordinal))
        {
            EnglishNumbers.Ordinal(ordinal, output);
            return length + 2;
        }

        var (unit, unitLength) = Unit(after);
        if (chinese) ChineseNumbers.Decimal(integer, fraction, output); else if (unit is null && fraction.IsEmpty && integer.Length == 4 && IsYearContext(text, start)) EnglishNumbers.Year(int.Parse(integer, CultureInfo.InvariantCulture), output); else EnglishNumbers.Decimal(integer, fraction, output);
        if (unit is not null)
        {
            var names = UnitNames[unit];
            output.Append(chinese ? "" : " ").Append(chinese ? names.Chinese : Singular(names.English, integer, fraction));
            return length + unitLength;
        }

        return length;
    }

    private static bool OrdinalSuffix(ReadOnlySpan<char> after) =>
        after.Length >= 2 && (after.StartsWith("st") || after.StartsWith("nd") || after.StartsWith("rd") || after.StartsWith("th")) &&
        (after.Length == 2 || !char.IsLetterOrDigit(after[2]));

    /// <summary>The unit written right after a number: names of two or more characters may follow a space, single letters only directly (5m, 3s).</summary>
    private static (string? Unit, int Length) Unit(ReadOnlySpan<char> after)
    {
        if (after.IsEmpty)
        {
            return (null, 0);
        }

        var spaced = after[0] == ' ' ? 1 : 0;
        if (spaced >= after.Length || !UnitStarts.Contains(after[spaced]))
        {
            return (null, 0);
        }

        foreach (var unit in UnitsLongestFirst)
        {
            if ((unit.Length == 1 && spaced == 1) || !after[spaced..].StartsWith(unit, StringComparison.Ordinal))
            {
                continue;
            }

            var end = spaced + unit.Length;
            if (end < after.Length && char.IsAsciiLetter(after[end]))
            {
                continue; // "5 kgs", "3 months": not a unit
            }

            return (unit, end);
        }

        return (null, 0);
    }

    private static void Money(string currency, string integer, ReadOnlySpan<char> fraction, bool chinese, StringBuilder output)
    {
        if (chinese)
        {
            ChineseNumbers.Decimal(integer, fraction, output);
            output.Append(currency switch { "$" => "美元", "€" => "欧元", "£" => "英镑", _ => "元" });
            return;
        }

        var (major, minor) = currency switch
        {
            "$" => ("dollar", "cent"),
            "€" => ("euro", "cent"),
            "£" => ("pound", "penny"),
            _ => ("yuan", "fen"),
        };
        var whole = long.TryParse(integer, CultureInfo.InvariantCulture, out var w) ? w : 0;
        EnglishNumbers.Integer(integer, output);
        output.Append(' ').Append(major).Append(whole == 1 || major == "yuan" ? "" : "s");
        if (fraction.Length > 0)
        {
            var cents = int.Parse(fraction.Length == 1 ? $"{fraction}0" : fraction[..2], CultureInfo.InvariantCulture);
            if (cents > 0)
            {
                output.Append(" and ");
                EnglishNumbers.Cardinal(cents, output);
                output.Append(' ').Append(minor == "penny" ? (cents == 1 ? "penny" : "pence") : minor + (cents == 1 || minor == "fen" ? "" : "s"));
            }
        }
    }

    private static void Date(int year, int month, int day, bool chinese, StringBuilder output)
    {
        if (chinese)
        {
            ChineseNumbers.Digits(year.ToString(CultureInfo.InvariantCulture), output);
            output.Append('年');
            ChineseNumbers.Cardinal(month, output);
            output.Append('月');
            ChineseNumbers.Cardinal(day, output);
            output.Append('日');
            return;
        }

        output.Append(CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(Math.Clamp(month, 1, 12))).Append(' ');
        EnglishNumbers.Ordinal(day, output);
        output.Append(", ");
        EnglishNumbers.Year(year, output);
    }

    private static void Time(Match match, bool chinese, StringBuilder output)
    {
        var hour = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        var minute = int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        var meridiem = match.Groups[3].Value.ToLowerInvariant().Replace(".", "", StringComparison.Ordinal);
        if (chinese)
        {
            ChineseNumbers.Cardinal(hour, output);
            output.Append('点');
            if (minute > 0)
            {
                if (minute < 10)
                {
                    output.Append('零');
                }

                ChineseNumbers.Cardinal(minute, output);
                output.Append('分');
            }

            return;
        }

        EnglishNumbers.Cardinal(hour, output);
        if (minute == 0)
        {
            output.Append(meridiem.Length > 0 ? "" : " o'clock");
        }
        else if (minute < 10)
        {
            output.Append(" oh ");
            EnglishNumbers.Cardinal(minute, output);
        }
        else
        {
            output.Append(' ');
            EnglishNumbers.Cardinal(minute, output);
        }

        if (meridiem.Length > 0)
        {
            output.Append(meridiem == "am" ? " a m" : " p m");
        }
    }

    private static void TelephoneEnglish(ReadOnlySpan<char> number, StringBuilder output)
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

    private static void Symbol(ReadOnlySpan<char> text, int at, StringBuilder output)
    {
        var chinese = ChineseContext(text, at);
        var word = text[at] switch
        {
            '&' => chinese ? "和" : "and",
            '@' => chinese ? "艾特" : "at",
            '+' => chinese ? "加" : "plus",
            '=' => chinese ? "等于" : "equals",
            _ => chinese ? "百分之" : "percent",
        };
        if (!chinese && output.Length > 0 && output[^1] != ' ')
        {
            output.Append(' ');
        }

        output.Append(word);
        if (!chinese && at + 1 < text.Length && text[at + 1] != ' ')
        {
            output.Append(' ');
        }
    }

    /// <summary>At a full stop: "Dr." becomes "Doctor"; any other full stop is kept.</summary>
    private static void ExpandAbbreviation(ReadOnlySpan<char> text, int at, StringBuilder output)
    {
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
            return;
        }

        output.Append('.');
    }

    /// <summary>True when the nearest letter before or after <paramref name="at"/> is Chinese (before wins).</summary>
    internal static bool ChineseContext(ReadOnlySpan<char> text, int at)
    {
        for (var i = at - 1; i >= 0 && i >= at - 24; i--)
        {
            if (IsCjk(text[i]))
            {
                return true;
            }

            if (char.IsLetter(text[i]))
            {
                return false;
            }
        }

        for (var i = at; i < text.Length && i < at + 24; i++)
        {
            if (IsCjk(text[i]))
            {
                return true;
            }

            if (char.IsLetter(text[i]))
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsYearContext(ReadOnlySpan<char> text, int start)
    {
        // "in 1999", "since 2024", "the 1990s": a four-digit number from 1100 to 2099 after one of these words reads as a year.
        var before = text[Math.Max(0, start - 16)..start].TrimEnd();
        var word = before[(before.LastIndexOf(' ') + 1)..];
        return word.Equals("in", StringComparison.OrdinalIgnoreCase) || word.Equals("since", StringComparison.OrdinalIgnoreCase) ||
               word.Equals("year", StringComparison.OrdinalIgnoreCase) || word.Equals("of", StringComparison.OrdinalIgnoreCase) ||
               word.Equals("until", StringComparison.OrdinalIgnoreCase) || word.Equals("from", StringComparison.OrdinalIgnoreCase) ||
               word.Equals("by", StringComparison.OrdinalIgnoreCase);
    }

    private static string Singular(string unit, string integer, ReadOnlySpan<char> fraction) =>
        integer == "1" && fraction.IsEmpty && unit.EndsWith('s') && !unit.Contains(' ', StringComparison.Ordinal) ? unit[..^1] :
        integer == "1" && fraction.IsEmpty && unit.StartsWith("degrees", StringComparison.Ordinal) ? "degree" + unit["degrees".Length..] : unit;

    /// <summary>A space goes between Chinese and Latin letters or digits, and between letters and digits (iPhone15 → iPhone 15).</summary>
    internal static bool NeedsSpace(char before, char after) =>
        (IsCjk(before) && char.IsAsciiLetterOrDigit(after)) ||
        (char.IsAsciiLetterOrDigit(before) && IsCjk(after)) ||
        (char.IsAsciiLetter(before) && char.IsAsciiDigit(after)) ||
        (char.IsAsciiDigit(before) && char.IsAsciiLetter(after));

    internal static bool IsCjk(char c) =>
        c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\u3040' and <= '\u30FF' or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF';

    private static bool IsEmoji(int codePoint) => codePoint is >= 0x1F000 and <= 0x1FAFF or >= 0x1F900 and <= 0x1F9FF or >= 0xE0000 and <= 0xE007F;

    [GeneratedRegex(@"^(?:\+\d{1,3}[ -]?)?(?:\(\d{2,4}\)[ -]?)?\d{3,4}[ -]\d{3,4}(?:[ -]\d{3,4})?(?!\d)|^1[3-9]\d{9}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Telephone();

    [GeneratedRegex(@"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?:\s?([AaPp]\.?[Mm]\.?))?(?![\d:])", RegexOptions.CultureInvariant)]
    private static partial Regex ClockTime();

}
