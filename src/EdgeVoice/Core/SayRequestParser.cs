using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using EdgeVoice.Text;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Core;

/// <summary>
/// Reads a <c>say</c> payload: plain UTF-8 text, or a JSON object
/// <c>{id?, text, voice?, speed?, volume?, priority?, interrupt?, format?, expires_at?, ttl_seconds?}</c> (System.Text.Json source
/// generation, unknown fields refused) when the payload's first non-blank character is <c>{</c>.
/// Every refusal names what was wrong.
/// </summary>
internal sealed class SayRequestParser(IOptions<LimitsOptions> limits, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private const int MaxIdChars = 128;

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

        SayRequest request0;
        if (trimmed[0] == (byte)'{')
        {
            if (!TryReadJson(trimmed, receivedAt, _time, out request0, out error))
            {
                return false;
            }
        }
        else
        {
            request0 = new SayRequest(NewId(), Encoding.UTF8.GetString(trimmed), null, receivedAt);
        }

        return Validate(request0, out request, out error);
    }

    /// <summary>Checks what every request must satisfy, whichever protocol brought it.</summary>
    public bool Validate(SayRequest candidate, out SayRequest request, out RequestError error)
    {
        request = null!;
        var text = candidate.Text.Trim();
        if (text.Length == 0)
        {
            error = new RequestError(ErrorCodes.BadRequest, "text is empty", candidate.Id);
            return false;
        }

        var maxChars = limits.Value.MaxTextChars;
        if (text.Length > maxChars)
        {
            error = new RequestError(ErrorCodes.TooLong, $"text is {text.Length} characters; the limit is {maxChars} (Limits:MaxTextChars)", candidate.Id);
            return false;
        }

        if (candidate.Format == TextFormat.Ssml && !Ssml.TryValidate(text, out var ssmlError))
        {
            error = new RequestError(ErrorCodes.BadRequest, ssmlError, candidate.Id);
            return false;
        }

        request = candidate with { Text = text };
        error = null!;
        return true;
    }

    private static bool TryReadJson(ReadOnlySpan<byte> json, long receivedAt, TimeProvider time, out SayRequest request, out RequestError error)
    {
        request = null!;
        if (JsonStrings.TryFindLoneSurrogate(json, out var badField))
        {
            error = new RequestError(ErrorCodes.BadRequest, JsonStrings.LoneSurrogate(badField), badField == "id" ? null : FindId(json));
            return false;
        }

        SayPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(json, RequestJsonContext.Default.SayPayload);
        }
        catch (JsonException e)
        {
            error = new RequestError(ErrorCodes.BadRequest, DescribeJsonError(e, json), FindId(json));
            return false;
        }

        var id = payload?.Id;
        if (payload is null)
        {
            error = new RequestError(ErrorCodes.BadRequest, "payload is not a JSON object");
            return false;
        }

        if (id is not null && (id.Length is 0 or > MaxIdChars || id.Any(char.IsControl)))
        {
            error = new RequestError(ErrorCodes.BadRequest, $"field 'id' must be 1 to {MaxIdChars} printable characters");
            return false;
        }

        string? problem = null;
        if (payload.Text is null)
        {
            problem = "field 'text' is missing";
        }
        else if (payload.Speed is { } speed && !SpeedRange.Contains(speed))
        {
            problem = $"field 'speed' must be a number from {SpeedRange.Min} to {SpeedRange.Max}";
        }
        else if (payload.Volume is { } volume && (volume is < 0 or > 1 || !double.IsFinite(volume)))
        {
            problem = "field 'volume' must be a number from 0 to 1";
        }
        else if (payload.Priority is { } priority && priority is not ("normal" or "high" or "alarm"))
        {
            problem = $"field 'priority' must be \"normal\", \"high\" or \"alarm\", not \"{priority}\"";
        }
        else if (payload.Format is { } format && format is not ("text" or "ssml"))
        {
            problem = $"field 'format' must be \"text\" or \"ssml\", not \"{format}\"";
        }

        DateTimeOffset? expiresAt = null;
        if (problem is null && payload.ExpiresAt is { } expiresText)
        {
            if (!DateTimeOffset.TryParse(expiresText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var parsed) ||
                !expiresText.Contains('T', StringComparison.OrdinalIgnoreCase) || !HasOffset(expiresText))
            {
                problem = $"field 'expires_at' must be an RFC 3339 time with its offset, such as \"2026-05-01T07:30:00Z\", not \"{expiresText}\"";
            }
            else
            {
                expiresAt = parsed;
            }
        }

        if (problem is null && payload.TtlSeconds is { } ttl)
        {
            if (ttl <= 0 || !double.IsFinite(ttl) || ttl > 366 * 86400)
            {
                problem = "field 'ttl_seconds' must be a number of seconds above 0 (at most a year)";
            }
            else
            {
                var byTtl = time.GetUtcNow() - time.GetElapsedTime(receivedAt) + TimeSpan.FromSeconds(ttl);
                expiresAt = expiresAt is { } own && own < byTtl ? own : byTtl;
            }
        }

        if (problem is not null)
        {
            error = new RequestError(ErrorCodes.BadRequest, problem, id);
            return false;
        }

        request = new SayRequest(id ?? NewId(), payload.Text!, payload.Voice, receivedAt)
        {
            Speed = payload.Speed ?? 1.0,
            Volume = payload.Volume ?? 1.0,
            Priority = payload.Priority switch { "alarm" => Priority.Alarm, "high" => Priority.High, _ => Priority.Normal },
            Interrupt = payload.Interrupt ?? false,
            Format = payload.Format == "ssml" ? TextFormat.Ssml : TextFormat.Text,
            CallerId = id is not null,
            ExpiresAt = expiresAt,
        };
        error = null!;
        return true;
    }

    /// <summary>Turns System.Text.Json's message into one that names the field and says what it should be.</summary>
    internal static string DescribeJsonError(JsonException e, ReadOnlySpan<byte> json)
    {
        _ = json;
        return Describe(e);
    }

    private static string Describe(JsonException e)
    {
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var first = message.IndexOf('\'');
            var second = first < 0 ? -1 : message.IndexOf('\'', first + 1);
            var field = second > first ? message[(first + 1)..second] : "?";
            return $"field '{field}' is not known; a say request has id, text, voice, speed, volume, priority, interrupt, format, expires_at and ttl_seconds";
        }

        var path = e.Path;
        var wrongType = message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
        if (wrongType && path is { Length: > 2 } && path.StartsWith("$.", StringComparison.Ordinal) && Expected.TryGetValue(path[2..], out var expected))
        {
            return $"field '{path[2..]}' must be {expected}";
        }

        return $"payload is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})";
    }

    /// <summary>The request's id, when the payload has a top-level string "id", so a refusal can name it.</summary>
    private static string? FindId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("id"u8) &&
                    reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    var id = reader.GetString();
                    return id is { Length: > 0 and <= MaxIdChars } ? id : null;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Broken further on (or the id is not valid text): no id found.
        }

        return null;
    }

    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["id"] = "a string", ["text"] = "a string", ["voice"] = "a string", ["priority"] = "a string", ["format"] = "a string",
        ["speed"] = "a number", ["volume"] = "a number", ["interrupt"] = "true or false",
        ["expires_at"] = "an RFC 3339 time string", ["ttl_seconds"] = "a number",
    };

    /// <summary>RFC 3339 wants the offset: <c>Z</c> or <c>±hh:mm</c> after the time.</summary>
    private static bool HasOffset(string text)
    {
        var t = text.IndexOfAny(['T', 't']);
        var time = t < 0 ? string.Empty : text[t..];
        return time.EndsWith('Z') || time.EndsWith('z') || time.Contains('+', StringComparison.Ordinal) || time.LastIndexOf('-') > 0;
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
