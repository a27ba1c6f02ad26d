using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace EdgeVoice.Tests.Support;

/// <summary>One event as a Wyoming client reads it.</summary>
internal sealed record WyomingMessage(string Type, JsonElement Data, byte[] Payload)
{
    public int Int(string name) => Data.GetProperty(name).GetInt32();

    public override string ToString() => $"{Type} {Data}";
}

/// <summary>
/// A Wyoming client written from the protocol: a JSON header line, then <c>data_length</c> bytes of JSON
/// data and <c>payload_length</c> bytes of payload; it can send data inline (in the header) or as a block.
/// </summary>
internal sealed class WyomingClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[65536];
    private int _start;
    private int _end;

    private WyomingClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<WyomingClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new WyomingClient(tcp);
    }

    /// <summary>Waits until a server accepts connections on <paramref name="port"/>.</summary>
    public static async Task WaitForServerAsync(int port, TimeSpan patience, Func<string> output)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(200);
            }
            catch (SocketException)
            {
                throw new TimeoutException($"no Wyoming server on port {port}:\n{output()}");
            }
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Sends an event; <paramref name="dataJson"/> goes in a data block, or in the header with <paramref name="inline"/>.</summary>
    public Task SendAsync(string type, string? dataJson = null, bool inline = false, byte[]? payload = null)
    {
        var header = new StringBuilder($"{{\"type\": {JsonSerializer.Serialize(type)}");
        var data = dataJson is null || inline ? [] : Encoding.UTF8.GetBytes(dataJson);
        if (dataJson is not null && inline)
        {
            header.Append(System.Globalization.CultureInfo.InvariantCulture, $", \"data\": {dataJson}");
        }

        if (data.Length > 0)
        {
            header.Append(System.Globalization.CultureInfo.InvariantCulture, $", \"data_length\": {data.Length}");
        }

        if (payload is { Length: > 0 })
        {
            header.Append(System.Globalization.CultureInfo.InvariantCulture, $", \"payload_length\": {payload.Length}");
        }

        header.Append("}\n");
        return SendRawAsync([.. Encoding.UTF8.GetBytes(header.ToString()), .. data, .. payload ?? []]);
    }

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next event; null when the server closed the connection.</summary>
    public async Task<WyomingMessage?> ReadAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            var line = await ReadLineAsync(limit.Token);
            if (line is null)
            {
                return null;
            }

            using var header = JsonDocument.Parse(line);
            var root = header.RootElement;
            var type = root.GetProperty("type").GetString()!;
            var dataLength = root.TryGetProperty("data_length", out var d) ? d.GetInt32() : 0;
            var payloadLength = root.TryGetProperty("payload_length", out var p) ? p.GetInt32() : 0;
            var data = root.TryGetProperty("data", out var inline) ? inline.Clone() : JsonDocument.Parse("{}").RootElement.Clone();
            if (dataLength > 0)
            {
                using var block = JsonDocument.Parse(await ReadExactlyAsync(dataLength, limit.Token));
                data = block.RootElement.Clone();
            }

            var payload = payloadLength > 0 ? await ReadExactlyAsync(payloadLength, limit.Token) : [];
            return new WyomingMessage(type, data, payload);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no event within {timeout.TotalSeconds} s");
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads until an event of <paramref name="type"/> (or the end); returns every event read, that one last.</summary>
    public async Task<List<WyomingMessage>> ReadUntilAsync(string type, TimeSpan timeout)
    {
        var events = new List<WyomingMessage>();
        while (true)
        {
            var next = await ReadAsync(timeout) ?? throw new InvalidOperationException($"the server closed the connection before '{type}'; got {string.Join(", ", events.Select(e => e.Type))}");
            events.Add(next);
            if (next.Type == type)
            {
                return events;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                line.AddRange(_buffer.AsSpan(_start, newline - _start));
                _start = newline + 1;
                return [.. line];
            }

            line.AddRange(_buffer.AsSpan(_start, _end - _start));
            _start = 0;
            _end = await _stream.ReadAsync(_buffer, cancellationToken);
            if (_end == 0)
            {
                return null;
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var have = Math.Min(count, _end - _start);
        _buffer.AsSpan(_start, have).CopyTo(result);
        _start += have;
        await _stream.ReadExactlyAsync(result.AsMemory(have), cancellationToken);
        return result;
    }
}

/// <summary>One utterance's audio as a Wyoming client receives it.</summary>
internal sealed record WyomingAudio(int Rate, int Width, int Channels, short[] Samples, int Chunks, int LargestChunk)
{
    /// <summary>The audio-start … audio-stop sets in <paramref name="events"/>, in order; the format of each chunk must match its start.</summary>
    public static List<WyomingAudio> From(IEnumerable<WyomingMessage> events)
    {
        var result = new List<WyomingAudio>();
        WyomingMessage? start = null;
        var samples = new List<short>();
        var chunks = 0;
        var largest = 0;
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case "audio-start":
                    Assert.Null(start);
                    start = e;
                    samples.Clear();
                    chunks = largest = 0;
                    break;
                case "audio-chunk":
                    Assert.NotNull(start);
                    Assert.Equal(start.Int("rate"), e.Int("rate"));
                    Assert.Equal(start.Int("width"), e.Int("width"));
                    Assert.Equal(start.Int("channels"), e.Int("channels"));
                    var pcm = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(e.Payload).ToArray();
                    samples.AddRange(pcm);
                    chunks++;
                    largest = Math.Max(largest, pcm.Length);
                    break;
                case "audio-stop":
                    Assert.NotNull(start);
                    result.Add(new WyomingAudio(start.Int("rate"), start.Int("width"), start.Int("channels"), [.. samples], chunks, largest));
                    start = null;
                    break;
            }
        }

        Assert.Null(start);
        return result;
    }
}
