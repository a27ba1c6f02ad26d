using System.Globalization;
using System.Text;
using System.Xml;
using EdgeVoice.Text.Normalization;

namespace EdgeVoice.Text;

/// <summary>
/// The SSML subset EdgeVoice reads (<c>"format": "ssml"</c>): <c>speak</c>, <c>p</c>, <c>s</c>,
/// <c>break</c> (<c>time</c>, <c>strength</c>), <c>prosody rate</c>, <c>say-as interpret-as</c>
/// (characters, spell-out, cardinal, ordinal, digits, date, time, telephone), <c>sub alias</c> and
/// <c>lang xml:lang</c>. Other elements are spoken as their text, with a warning. No DTD, no
/// external entity: such documents are refused.
/// </summary>
internal static class Ssml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersFromEntities = 1024,
    };

    /// <summary>Checks a document before it is queued; the error names the line and column of the fault.</summary>
    public static bool TryValidate(string text, out string error)
    {
        try
        {
            _ = Parse(text, new TextOptions(), []);
            error = string.Empty;
            return true;
        }
        catch (SsmlException e)
        {
            error = e.Message;
            return false;
        }
    }

    public static IEnumerable<TextSegment> Read(string text, TextOptions options, ICollection<string> warnings) =>
        Parse(text, options, warnings);

    private static List<TextSegment> Parse(string text, TextOptions options, ICollection<string> warnings)
    {
        var lineStarts = LineStarts(text);
        var segments = new List<TextSegment>();
        var buffer = new StringBuilder();
        var bufferOffset = 0;
        var pause = 0;
        var speeds = new Stack<double>([1.0]);
        var languages = new Stack<string?>([null]);
        var skipped = new Stack<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var sawRoot = false;

        void Flush()
        {
            if (buffer.Length > 0)
            {
                segments.Add(new TextSegment(buffer.ToString(), 0, buffer.Length, speeds.Peek(), pause, languages.Peek(), bufferOffset));
                buffer.Clear();
                pause = 0;
            }
        }

        using var reader = XmlReader.Create(new StringReader(text), Settings);
        var info = (IXmlLineInfo)reader;
        try
        {
            // Handlers that read an element whole leave the reader on the next node already.
            var advance = true;
            while (!advance || reader.Read())
            {
                advance = true;
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (!sawRoot)
                        {
                            sawRoot = true;
                            if (reader.LocalName != "speak")
                            {
                                throw Fault(info, $"the document must start with <speak>, not <{reader.LocalName}>");
                            }
                        }

                        var empty = reader.IsEmptyElement;
                        switch (reader.LocalName)
                        {
                            case "speak":
                                PushLanguage(reader, languages, empty);
                                break;
                            case "p" or "s":
                                Flush();
                                break;
                            case "break":
                                Flush();
                                pause = Math.Min(pause + BreakMs(reader, info, options), Markers.MaxPauseMs);
                                break;
                            case "prosody":
                                Flush();
                                var rate = reader.GetAttribute("rate");
                                var speed = rate is null ? speeds.Peek() : SpeedRange.Clamp(Rate(rate, info) * speeds.Peek());
                                if (!empty)
                                {
                                    speeds.Push(speed);
                                }

                                break;
                            case "lang":
                                Flush();
                                var lang = reader.GetAttribute("xml:lang") ?? throw Fault(info, "<lang> needs an xml:lang attribute");
                                if (!empty)
                                {
                                    languages.Push(lang);
                                }

                                break;
                            case "say-as":
                                var interpretAs = reader.GetAttribute("interpret-as") ?? throw Fault(info, "<say-as> needs an interpret-as attribute");
                                var format = reader.GetAttribute("format");
                                var content = empty ? "" : reader.ReadElementContentAsString();
                                if (buffer.Length == 0)
                                {
                                    bufferOffset = Offset(lineStarts, info);
                                }

                                buffer.Append(' ').Append(SayAs(interpretAs, format, content.Trim(), Chinese(languages.Peek(), content), info)).Append(' ');
                                advance = empty; // ReadElementContentAsString has moved past the element
                                continue;
                            case "sub":
                                var alias = reader.GetAttribute("alias") ?? throw Fault(info, "<sub> needs an alias attribute");
                                buffer.Append(alias);
                                if (!empty)
                                {
                                    reader.Skip();
                                    advance = false;
                                }

                                continue;
                            default:
                                if (reported.Add(reader.LocalName))
                                {
                                    warnings.Add($"SSML element <{reader.LocalName}> is not supported; its text was spoken as it is");
                                }

                                break;
                        }

                        if (!empty && reader.LocalName is not ("prosody" or "lang" or "speak" or "p" or "s"))
                        {
                            skipped.Push(reader.LocalName);
                        }

                        break;
                    case XmlNodeType.EndElement:
                        switch (reader.LocalName)
                        {
                            case "p":
                                Flush();
                                pause = Math.Min(pause + options.LongPauseMs, Markers.MaxPauseMs);
                                break;
                            case "s":
                                Flush();
                                break;
                            case "prosody":
                                Flush();
                                speeds.Pop();
                                break;
                            case "lang":
                                Flush();
                                languages.Pop();
                                break;
                            case "speak":
                                Flush();
                                if (languages.Count > 1)
                                {
                                    languages.Pop();
                                }

                                break;
                            default:
                                if (skipped.Count > 0)
                                {
                                    skipped.Pop();
                                }

                                break;
                        }

                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                        if (buffer.Length == 0)
                        {
                            bufferOffset = Offset(lineStarts, info);
                        }

                        buffer.Append(reader.Value);
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            var (line, column) = e.LineNumber > 0 ? (e.LineNumber, e.LinePosition) : (Math.Max(1, info.LineNumber), Math.Max(1, info.LinePosition));
            throw new SsmlException($"malformed SSML at line {line}, column {column}: {FirstSentence(e.Message)}", e);
        }

        if (!sawRoot)
        {
            throw new SsmlException("malformed SSML: the document has no <speak> element");
        }

        Flush();
        if (pause > 0 && segments.Count > 0)
        {
            segments[^1] = segments[^1] with { PauseAfterMs = pause };
        }

        return segments;
    }

    private static void PushLanguage(XmlReader reader, Stack<string?> languages, bool empty)
    {
        if (!empty)
        {
            languages.Push(reader.GetAttribute("xml:lang") ?? languages.Peek());
        }
    }

    private static int BreakMs(XmlReader reader, IXmlLineInfo info, TextOptions options)
    {
        if (reader.GetAttribute("time") is { } time)
        {
            var value = time.Trim();
            double ms;
            if (value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) && double.TryParse(value[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out ms))
            {
            }
            else if (value.EndsWith('s') && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                ms = seconds * 1000;
            }
            else
            {
                throw Fault(info, $"<break time=\"{time}\"> is not a time; write it as 500ms or 1.5s");
            }

            return (int)Math.Clamp(ms, 0, Markers.MaxPauseMs);
        }

        return reader.GetAttribute("strength") switch
        {
            null or "medium" => (options.ShortPauseMs + options.LongPauseMs) / 2,
            "none" => 0,
            "x-weak" => options.ShortPauseMs / 2,
            "weak" => options.ShortPauseMs,
            "strong" => options.LongPauseMs,
            "x-strong" => options.LongPauseMs * 2,
            var other => throw Fault(info, $"<break strength=\"{other}\"> is not a strength; use none, x-weak, weak, medium, strong or x-strong"),
        };
    }

    private static double Rate(string rate, IXmlLineInfo info)
    {
        var value = rate.Trim();
        switch (value)
        {
            case "x-slow":
                return 0.5;
            case "slow":
                return 0.75;
            case "medium" or "default":
                return 1.0;
            case "fast":
                return 1.25;
            case "x-fast":
                return 1.75;
        }

        if (value.EndsWith('%') && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            // "+20%" and "-10%" are relative changes; "120%" is a share of the normal rate.
            return value[0] is '+' or '-' ? 1 + (percent / 100) : percent / 100;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0)
        {
            return number;
        }

        throw Fault(info, $"<prosody rate=\"{rate}\"> is not a rate; use x-slow … x-fast, a percentage or a number");
    }

    private static string SayAs(string interpretAs, string? format, string content, bool chinese, IXmlLineInfo info)
    {
        var output = new StringBuilder();
        var digits = new string([.. content.Where(char.IsAsciiDigit)]);
        switch (interpretAs)
        {
            case "characters" or "spell-out":
                return string.Join(' ', content.Where(c => !char.IsWhiteSpace(c)));
            case "cardinal" or "number" when long.TryParse(content.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cardinal):
                if (chinese)
                {
                    ChineseNumbers.Cardinal(cardinal, output);
                }
                else
                {
                    EnglishNumbers.Cardinal(cardinal, output);
                }

                return output.ToString();
            case "ordinal" when long.TryParse(digits, CultureInfo.InvariantCulture, out var ordinal):
                if (chinese)
                {
                    output.Append('第');
                    ChineseNumbers.Cardinal(ordinal, output);
                }
                else
                {
                    EnglishNumbers.Ordinal(ordinal, output);
                }

                return output.ToString();
            case "digits" or "telephone":
                if (chinese)
                {
                    ChineseNumbers.Digits(content, output);
                }
                else
                {
                    EnglishNumbers.Digits(content, output);
                }

                return output.ToString();
            case "date":
                return Normalizer.Normalize(IsoDate(content, format) ?? content);
            case "time":
                return Normalizer.Normalize(content);
            case "cardinal" or "number" or "ordinal":
                throw Fault(info, $"<say-as interpret-as=\"{interpretAs}\"> holds \"{content}\", which is not a whole number");
            default:
                throw Fault(info, $"<say-as interpret-as=\"{interpretAs}\"> is not supported; use characters, spell-out, cardinal, ordinal, digits, date, time or telephone");
        }
    }

    /// <summary>Dates written d/m/y or m/d/y, as <c>format</c> says, rewritten as y-m-d for the normaliser.</summary>
    private static string? IsoDate(string content, string? format)
    {
        var parts = content.Split(['/', '-', '.'], StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return null;
        }

        return format switch
        {
            "mdy" => $"{parts[2]}-{parts[0]}-{parts[1]}",
            "dmy" => $"{parts[2]}-{parts[1]}-{parts[0]}",
            _ => parts[0].Length == 4 ? $"{parts[0]}-{parts[1]}-{parts[2]}" : null,
        };
    }

    private static bool Chinese(string? language, string content) =>
        language?.StartsWith("zh", StringComparison.OrdinalIgnoreCase) == true || content.Any(Script.IsCjk);

    private static SsmlException Fault(IXmlLineInfo info, string message) =>
        new($"malformed SSML at line {info.LineNumber}, column {info.LinePosition}: {message}");

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }

    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int Offset(List<int> lineStarts, IXmlLineInfo info) =>
        info.HasLineInfo() && info.LineNumber > 0 && info.LineNumber <= lineStarts.Count
            ? lineStarts[info.LineNumber - 1] + Math.Max(0, info.LinePosition - 1)
            : 0;
}

/// <summary>An SSML document that EdgeVoice refuses; the message says where and why.</summary>
internal sealed class SsmlException : Exception
{
    public SsmlException(string message)
        : base(message)
    {
    }

    public SsmlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
