using System.Buffers.Binary;

namespace EdgeVoice.Tests.Support;

/// <summary>Builds WAV files in any of the layouts a reference clip may come in.</summary>
internal static class TestWav
{
    /// <param name="tag">1 PCM, 3 float, 0xFFFE extensible (PCM inside).</param>
    public static byte[] Build(int tag, int bits, int rate, float[][] channels)
    {
        var frames = channels[0].Length;
        var bytesPerSample = bits / 8;
        var fmtSize = tag == 0xFFFE ? 40 : 16;
        var dataSize = frames * channels.Length * bytesPerSample;
        var file = new byte[12 + 8 + fmtSize + 8 + dataSize];
        var span = file.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], file.Length - 8);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], fmtSize);
        var fmt = span[20..];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, (ushort)tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], (ushort)channels.Length);
        BinaryPrimitives.WriteInt32LittleEndian(fmt[4..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(fmt[8..], rate * channels.Length * bytesPerSample);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[12..], (ushort)(channels.Length * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[14..], (ushort)bits);
        if (tag == 0xFFFE)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[16..], 22);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[18..], (ushort)bits);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[24..], 1); // KSDATAFORMAT_SUBTYPE_PCM starts with 0x0001
        }

        var data = span[(20 + fmtSize)..];
        "data"u8.CopyTo(data);
        BinaryPrimitives.WriteInt32LittleEndian(data[4..], dataSize);
        var at = data[8..];
        for (var frame = 0; frame < frames; frame++)
        {
            foreach (var channel in channels)
            {
                var x = Math.Clamp(channel[frame], -1f, 1f);
                var sample = at.Slice(((frame * channels.Length) + Array.IndexOf(channels, channel)) * bytesPerSample, bytesPerSample);
                switch (tag, bits)
                {
                    case (3, 32): BinaryPrimitives.WriteSingleLittleEndian(sample, x); break;
                    case (3, 64): BinaryPrimitives.WriteDoubleLittleEndian(sample, x); break;
                    case (_, 8): sample[0] = (byte)Math.Clamp(Math.Round((x * 128) + 128), 0, 255); break;
                    case (_, 16): BinaryPrimitives.WriteInt16LittleEndian(sample, (short)Math.Clamp(Math.Round(x * 32768), short.MinValue, short.MaxValue)); break;
                    case (_, 24):
                        var v = (int)Math.Clamp(Math.Round(x * 8388608), -8388608, 8388607);
                        sample[0] = (byte)v;
                        sample[1] = (byte)(v >> 8);
                        sample[2] = (byte)(v >> 16);
                        break;
                    default: BinaryPrimitives.WriteInt32LittleEndian(sample, (int)Math.Clamp(Math.Round(x * 2147483648.0), int.MinValue, int.MaxValue)); break;
                }
            }
        }

        return file;
    }

    public static void Write(string path, int rate, float[] mono, int tag = 1, int bits = 16) =>
        File.WriteAllBytes(path, Build(tag, bits, rate, [mono]));
}
