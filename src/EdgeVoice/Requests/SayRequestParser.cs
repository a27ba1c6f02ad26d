using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using EdgeVoice.Text;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Requests;

/// <summary>
/// Reads a <c>say</c> payload: plain UTF-8 text, or a JSON object <c>{id?, text, voice?, speed?}</c> when the
/// payload's first non-blank character is <c>{</c>. Every refusal names what was wrong.
/// </summary>
internal sealed class SayRequestParser(IOptions<LimitsOptions> limits)
{
    public const double MinSpeed = 0.5;
    public const double MaxSpeed = 2.0;
    private const int MaxIdChars = 128;
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 8 };

    public bool TryParse(ReadOnlySequence<byte> payload, long receivedAt, out SayRequest request, out RequestError error)
    {
        request = null!;
        var max = limits.Value.MaxPayloadBytes;
        if (payload.Length > max)
        {
            error = new RequestError(ErrorCodes.TooLong, $"payload is {payload.Length} bytes; the limit is {max} (Limits:MaxPayloadBytes)");
            return false;
        }

        var bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        return TryParse(bytes, receivedAt, out request, out error);
    }

    public bool TryParse(ReadOnlySpan<byte> payload, long receivedAt, out SayRequest request, out RequestError error)
    {
        request = null!;
        if (payload.StartsWith("\uFEFF"u8))
        {
            payload = payload[3..];
        }

        if (!Utf8.IsValid(payload))
        {
            error = new RequestError(ErrorCodes.BadRequest, $"payload is not valid UTF-8 (first bad byte at offset {FirstInvalidByte(payload)})");
            return false;
        }

        var trimmed = payload.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            error = new RequestError(ErrorCodes.BadRequest, "payload is empty; send the text to say, or JSON {\"text\": \"...\"}");
            return false;
        }

        string? id = null;
        string? text;
        string? voice = null;
        var speed = 1.0;
        var format = TextFormat.Text;
        if (trimmed[0] == (byte)'{')
        {
            if (!TryReadJson(trimmed, out id, out text, out voice, out speed, out format, out var jsonError))
            {
                error = new RequestError(ErrorCodes.BadRequest, jsonError, id);
                return false;
            }
        }
        else
        {
            text = Encoding.UTF8.GetString(trimmed);
        }

        id ??= NewId();
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = new RequestError(ErrorCodes.BadRequest, "text is empty", id);
            return false;
        }

        var maxChars = limits.Value.MaxTextChars;
        if (text.Length > maxChars)
        {
            error = new RequestError(ErrorCodes.TooLong, $"text is {text.Length} characters; the limit is {maxChars} (Limits:MaxTextChars)", id);
            return false;
        }

        if (format == TextFormat.Ssml && !Ssml.TryValidate(text, out var ssmlError))
        {
            error = new RequestError(ErrorCodes.BadRequest, ssmlError, id);
            return false;
        }

        request = new SayRequest(id, text, voice, receivedAt) { Speed = speed, Format = format };
        error = null!;
        return true;
    }

    private static bool TryReadJson(
        ReadOnlySpan<byte> json, out string? id, out string? text, out string? voice, out double speed, out TextFormat format, out string error)
    {
        id = text = voice = null;
        speed = 1.0;
        format = TextFormat.Text;
        JsonDocument document;
        try
        {
            // JsonDocument.Parse copies what it needs; the span is not kept.
            document = JsonDocument.Parse(json.ToArray(), JsonOptions);
        }
        catch (JsonException e)
        {
            error = $"payload is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})";
            return false;
        }

        using (document)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "id":
                        if (!TryReadString(property, out id, out error))
                        {
                            id = null;
                            return false;
                        }

                        if (id!.Length is 0 or > MaxIdChars || id.Any(char.IsControl))
                        {
                            error = $"field 'id' must be 1 to {MaxIdChars} printable characters";
                            id = null;
                            return false;
                        }

                        break;
                    case "text":
                        if (!TryReadString(property, out text, out error))
                        {
                            return false;
                        }

                        break;
                    case "voice":
                        if (!TryReadString(property, out voice, out error))
                        {
                            return false;
                        }

                        break;
                    case "speed":
                        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out speed) ||
                            speed is < MinSpeed or > MaxSpeed)
                        {
                            error = $"field 'speed' must be a number from {MinSpeed} to {MaxSpeed}";
                            return false;
                        }

                        break;
                    case "format":
                        if (!TryReadString(property, out var formatName, out error))
                        {
                            return false;
                        }

                        if (formatName is not ("text" or "ssml"))
                        {
                            error = $"field 'format' must be \"text\" or \"ssml\", not \"{formatName}\"";
                            return false;
                        }

                        format = formatName == "ssml" ? TextFormat.Ssml : TextFormat.Text;
                        break;
                    default:
                        error = $"field '{property.Name}' is not known; a say request has id, text, voice, speed and format";
                        return false;
                }
            }
        }

        if (text is null)
        {
            error = "field 'text' is missing";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static bool TryReadString(JsonProperty property, out string? value, out string error)
    {
        if (property.Value.ValueKind != JsonValueKind.String)
        {
            value = null;
            error = $"field '{property.Name}' must be a string, not {property.Value.ValueKind.ToString().ToLowerInvariant()}";
            return false;
        }

        value = property.Value.GetString();
        error = string.Empty;
        return true;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> payload)
    {
        var offset = 0;
        while (offset < payload.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(payload[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }

    private static string NewId() => Guid.NewGuid().ToString("N")[..12];
}
