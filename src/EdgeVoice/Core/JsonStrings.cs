using System.Text.Json;

namespace EdgeVoice.Core;

/// <summary>Checks on the strings of a JSON payload that the deserialiser reports only vaguely.</summary>
internal static class JsonStrings
{
    /// <summary>
    /// Finds a string whose escapes make invalid UTF-16 (a lone surrogate such as <c>"\ud800"</c>) or whose bytes are not UTF-8:
    /// <paramref name="field"/> is the name of the field it belongs to. False when there is none, or
    /// when the payload is broken JSON before one is met (the deserialiser reports that).
    /// </summary>
    public static bool TryFindLoneSurrogate(ReadOnlySpan<byte> json, out string field)
    {
        field = string.Empty;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        string? property = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String))
                {
                    continue;
                }

                try
                {
                    var value = reader.GetString();
                    if (reader.TokenType == JsonTokenType.PropertyName)
                    {
                        property = value;
                    }
                }
                catch (InvalidOperationException)
                {
                    // Escapes that make invalid UTF-16, or bytes that are not UTF-8.
                    field = reader.TokenType == JsonTokenType.PropertyName ? "(a field name)" : property ?? "(a value)";
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // Broken further on: the deserialiser says where.
        }

        return false;
    }

    /// <summary>The refusal's message for a lone surrogate in <paramref name="field"/>.</summary>
    public static string LoneSurrogate(string field) =>
        $"field '{field}' contains a lone surrogate escape (\\ud800 to \\udfff without its pair) or bytes that are not UTF-8; strings must be valid Unicode text";
}
