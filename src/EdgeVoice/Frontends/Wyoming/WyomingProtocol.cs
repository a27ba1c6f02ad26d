using System.Buffers;
using System.Text.Json;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>
/// One Wyoming event: its type, its data (the header's inline <c>data</c> merged with the data block,
/// the block winning), and its payload.
/// </summary>
internal sealed class WyomingEvent(string type, IReadOnlyDictionary<string, JsonElement> data, byte[] payload)
{
    public string Type => type;

    public IReadOnlyDictionary<string, JsonElement> Data => data;

    public byte[] Payload => payload;

    public string? String(string name) => data.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public JsonElement? Object(string name) => data.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;
}

/// <summary>What a client sent could not be read as the protocol says; the connection is answered with an <c>error</c> and closed.</summary>
internal sealed class WyomingProtocolException(string code, string message) : Exception(message)
{
    public string Code => code;
}

/// <summary>
/// Reads events from a client: a JSON header line <c>{"type", "data"?, "data_length"?, "payload_length"?}</c>,
/// then <c>data_length</c> bytes of JSON data and <c>payload_length</c> bytes of payload. Lengths are bounded.
/// </summary>
internal sealed class WyomingReader(Stream stream, int maxDataBytes, int maxPayloadBytes)
{
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    /// <summary>The next event; null when the client closed the connection between events.</summary>
    public async Task<WyomingEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        var header = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            return null;
        }

        string type;
        long dataLength = 0, payloadLength = 0;
        var data = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WyomingProtocolException(WyomingErrors.BadEvent, "the event header is not a JSON object");
            }

            type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } name
                ? name
                : throw new WyomingProtocolException(WyomingErrors.BadEvent, "the event header has no \"type\"");
            dataLength = Length(root, "data_length");
            payloadLength = Length(root, "payload_length");
            if (root.TryGetProperty("data", out var inline) && inline.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in inline.EnumerateObject())
                {
                    data[property.Name] = property.Value.Clone();
                }
            }
        }
        catch (JsonException e)
        {
            throw new WyomingProtocolException(WyomingErrors.BadEvent, $"the event header is not valid JSON (byte {(e.BytePositionInLine ?? 0) + 1})");
        }

        if (dataLength > maxDataBytes)
        {
            throw new WyomingProtocolException(WyomingErrors.TooLarge, $"data_length {dataLength} is over the limit of {maxDataBytes} bytes (Wyoming:MaxDataBytes)");
        }

        if (payloadLength > maxPayloadBytes)
        {
            throw new WyomingProtocolException(WyomingErrors.TooLarge, $"payload_length {payloadLength} is over the limit of {maxPayloadBytes} bytes (Wyoming:MaxPayloadBytes)");
        }

        if (dataLength > 0)
        {
            var block = new byte[dataLength];
            await ReadExactlyAsync(block, cancellationToken).ConfigureAwait(false);
            try
            {
                using var document = JsonDocument.Parse(block, new JsonDocumentOptions { MaxDepth = 16 });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new WyomingProtocolException(WyomingErrors.BadEvent, "the event's data is not a JSON object");
                }

                foreach (var property in document.RootElement.EnumerateObject())
                {
                    data[property.Name] = property.Value.Clone();
                }
            }
            catch (JsonException)
            {
                throw new WyomingProtocolException(WyomingErrors.BadEvent, "the event's data is not valid JSON");
            }
        }

        var payload = payloadLength > 0 ? new byte[payloadLength] : [];
        if (payloadLength > 0)
        {
            await ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        }

        return new WyomingEvent(type, data, payload);
    }

    private static long Length(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var length) && length >= 0
            ? length
            : throw new WyomingProtocolException(WyomingErrors.BadEvent, $"\"{name}\" must be a whole number of bytes, 0 or more");
    }

    /// <summary>One header line (without its newline); null at a clean end of stream.</summary>
    private async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new ArrayBufferWriter<byte>();
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                line.Write(_buffer.AsSpan(_start, newline - _start));
                _start = newline + 1;
                return line.WrittenSpan.TrimEnd((byte)'\r').ToArray();
            }

            line.Write(_buffer.AsSpan(_start, _end - _start));
            _start = _end = 0;
            if (line.WrittenCount > maxDataBytes)
            {
                throw new WyomingProtocolException(WyomingErrors.TooLarge, $"the event header is over the limit of {maxDataBytes} bytes (Wyoming:MaxDataBytes)");
            }

            var read = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return line.WrittenCount == 0 ? null : throw new WyomingProtocolException(WyomingErrors.BadEvent, "the connection ended inside an event header");
            }

            _end = read;
        }
    }

    private async Task ReadExactlyAsync(byte[] target, CancellationToken cancellationToken)
    {
        var have = Math.Min(_end - _start, target.Length);
        _buffer.AsSpan(_start, have).CopyTo(target);
        _start += have;
        if (have < target.Length)
        {
            try
            {
                await stream.ReadExactlyAsync(target.AsMemory(have), cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                throw new WyomingProtocolException(WyomingErrors.BadEvent, "the connection ended inside an event's data or payload");
            }
        }
    }
}

/// <summary>Builds events as bytes: the header line, the data block, the payload.</summary>
internal static class WyomingFrames
{
    /// <summary>An event whose data is written by <paramref name="writeData"/> (the object's fields), with an optional payload.</summary>
    public static byte[] Build(string type, Action<Utf8JsonWriter>? writeData = null, ReadOnlySpan<byte> payload = default)
    {
        byte[] data = [];
        if (writeData is not null)
        {
            var block = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(block))
            {
                json.WriteStartObject();
                writeData(json);
                json.WriteEndObject();
            }

            data = block.WrittenSpan.ToArray();
        }

        var header = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            if (data.Length > 0)
            {
                json.WriteNumber("data_length", data.Length);
            }

            if (payload.Length > 0)
            {
                json.WriteNumber("payload_length", payload.Length);
            }

            json.WriteEndObject();
        }

        var frame = new byte[header.WrittenCount + 1 + data.Length + payload.Length];
        header.WrittenSpan.CopyTo(frame);
        frame[header.WrittenCount] = (byte)'\n';
        data.CopyTo(frame, header.WrittenCount + 1);
        payload.CopyTo(frame.AsSpan(header.WrittenCount + 1 + data.Length));
        return frame;
    }

    public static byte[] Error(string code, string text) => Build("error", json =>
    {
        json.WriteString("text", text);
        json.WriteString("code", code);
    });

    public static byte[] AudioStart(Audio.AudioFormat format) => Build("audio-start", json => Format(json, format));

    public static byte[] AudioChunk(Audio.AudioFormat format, ReadOnlySpan<short> samples) =>
        Build("audio-chunk", json => Format(json, format), System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples));

    public static byte[] AudioStop() => Build("audio-stop", json => { });

    private static void Format(Utf8JsonWriter json, Audio.AudioFormat format)
    {
        json.WriteNumber("rate", format.SampleRate);
        json.WriteNumber("width", Audio.AudioFormat.BytesPerSample);
        json.WriteNumber("channels", format.Channels);
    }
}

/// <summary>The <c>code</c> of Wyoming <c>error</c> events: EdgeVoice's own codes, and these for the protocol itself.</summary>
internal static class WyomingErrors
{
    public const string BadEvent = "bad_event";
    public const string TooLarge = "too_large";
    public const string UnknownEvent = "unknown_event";
    public const string Busy = "busy";
    public const string IdleTimeout = "idle_timeout";

}
