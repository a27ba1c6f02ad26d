using System.Buffers.Binary;
using System.Text;
using Concentus;
using Concentus.Enums;

namespace EdgeVoice.Frontends.Http;

/// <summary>
/// Opus in Ogg (RFC 7845), written as audio arrives: an <c>OpusHead</c> page, an <c>OpusTags</c> page,
/// then pages of 20 ms Opus packets (Concentus, managed). Rates Opus takes (8, 12, 16, 24, 48 kHz) are
/// encoded as they are; any other (22,050 Hz) is resampled to 48 kHz first.
/// </summary>
internal sealed class OggOpusWriter : IDisposable
{
    private const int MaxPacket = 4000;
    private readonly int _inputRate;
    private readonly int _encoderRate;
    private readonly int _frame;
    private readonly IOpusEncoder _encoder;
    private readonly IResampler? _resampler;
    private readonly short[] _pending;
    private readonly byte[] _packet = new byte[MaxPacket];
    private readonly List<byte[]> _packets = [];
    private readonly uint _serial;
    private readonly int _preSkip;
    private int _pendingCount;
    private uint _sequence;
    private long _encodedFrames;
    private long _inputSamples;

    public OggOpusWriter(int inputRate, uint serial)
    {
        _inputRate = inputRate;
        _encoderRate = inputRate is 8000 or 12000 or 16000 or 24000 or 48000 ? inputRate : 48000;
        _frame = _encoderRate / 50;
        _encoder = OpusCodecFactory.CreateEncoder(_encoderRate, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
        _encoder.Bitrate = 32_000;
        _resampler = _encoderRate == inputRate ? null : ResamplerFactory.CreateResampler(1, inputRate, _encoderRate, 5);
        _resampler?.SkipZeroes();
        _pending = new short[_frame];
        _serial = serial;
        _preSkip = _encoder.Lookahead * (48_000 / _encoderRate);
    }

    /// <summary>The two header pages: identification and comments.</summary>
    public void WriteHeaders(Stream output)
    {
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = 1; // channels
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)_preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), (uint)_inputRate);
        // output gain 0, channel mapping family 0
        WritePage(output, [head], 0, 0x02);

        var vendor = Encoding.UTF8.GetBytes("EdgeVoice");
        var tags = new byte[8 + 4 + vendor.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendor.Length);
        vendor.CopyTo(tags.AsSpan(12));
        WritePage(output, [tags], 0, 0);
    }

    /// <summary>Encodes the samples; completed packets go out as one or more pages.</summary>
    public void Write(ReadOnlySpan<short> samples, Stream output)
    {
        _inputSamples += samples.Length;
        Feed(samples);
        FlushPackets(output, last: false);
    }

    private void Feed(ReadOnlySpan<short> samples)
    {
        if (_resampler is null)
        {
            Buffer(samples);
        }
        else
        {
            var input = samples.ToArray().AsSpan();
            var scratch = new short[(samples.Length * (long)_encoderRate / _inputRate) + 64];
            while (!input.IsEmpty)
            {
                var consumed = input.Length;
                var produced = scratch.Length;
                _resampler.Process(0, input, ref consumed, scratch, ref produced);
                Buffer(scratch.AsSpan(0, produced));
                input = input[consumed..];
                if (consumed == 0 && produced == 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Pads the last frame with silence and writes the final page (end of stream, its length trimmed to the audio's).</summary>
    public void Finish(Stream output)
    {
        if (_resampler is not null)
        {
            // The resampler holds back its filter's latency: push silence through to drain it.
            Feed(new short[_resampler.InputLatency]);
        }

        if (_pendingCount > 0 || _packets.Count == 0)
        {
            _pending.AsSpan(_pendingCount).Clear();
            _pendingCount = _frame;
            Encode();
        }

        FlushPackets(output, last: true);
    }

    public void Dispose()
    {
        _resampler?.Dispose();
        _encoder.Dispose();
    }

    private void Buffer(ReadOnlySpan<short> samples)
    {
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, _frame - _pendingCount);
            samples[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            samples = samples[take..];
            if (_pendingCount == _frame)
            {
                Encode();
            }
        }
    }

    private void Encode()
    {
        var length = _encoder.Encode(_pending, _frame, _packet, MaxPacket);
        _packets.Add(_packet.AsSpan(0, length).ToArray());
        _encodedFrames++;
        _pendingCount = 0;
    }

    private void FlushPackets(Stream output, bool last)
    {
        if (_packets.Count == 0 && !last)
        {
            return;
        }

        var perPacket = 48_000 / 50;
        var written = _encodedFrames - _packets.Count;
        var start = 0;
        while (start < _packets.Count || (last && start == 0 && _packets.Count == 0))
        {
            // At most 255 lacing values a page.
            var end = start;
            var segments = 0;
            while (end < _packets.Count && segments + (_packets[end].Length / 255) + 1 <= 255)
            {
                segments += (_packets[end].Length / 255) + 1;
                end++;
            }

            var final = last && end == _packets.Count;
            var granule = _preSkip + ((written + end) * perPacket);
            if (final)
            {
                // The last page states the audio's true end (RFC 7845 §4.4).
                granule = Math.Min(granule, _preSkip + (_inputSamples * 48_000 / _inputRate));
            }

            WritePage(output, _packets.GetRange(start, end - start), granule, (byte)(final ? 0x04 : 0));
            if (end == start)
            {
                break;
            }

            start = end;
        }

        _packets.Clear();
    }

    private void WritePage(Stream output, IReadOnlyList<byte[]> packets, long granule, byte flags)
    {
        var lacing = new List<byte>();
        var body = 0;
        foreach (var packet in packets)
        {
            for (var n = packet.Length; ; n -= 255)
            {
                lacing.Add((byte)Math.Min(n, 255));
                if (n < 255)
                {
                    break;
                }
            }

            body += packet.Length;
        }

        var page = new byte[27 + lacing.Count + body];
        "OggS"u8.CopyTo(page);
        page[4] = 0;
        page[5] = flags;
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), _serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), _sequence++);
        page[26] = (byte)lacing.Count;
        lacing.CopyTo(page, 27);
        var at = 27 + lacing.Count;
        foreach (var packet in packets)
        {
            packet.CopyTo(page, at);
            at += packet.Length;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggCrc.Compute(page));
        output.Write(page);
    }
}

/// <summary>Ogg's page checksum: CRC-32 with polynomial 0x04C11DB7, not reflected, initial value 0, no final XOR.</summary>
internal static class OggCrc
{
    private static readonly uint[] Table = Build();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (var b in data)
        {
            crc = (crc << 8) ^ Table[(byte)(crc >> 24) ^ b];
        }

        return crc;
    }

    private static uint[] Build()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                r = (r & 0x8000_0000) != 0 ? (r << 1) ^ 0x04C1_1DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
