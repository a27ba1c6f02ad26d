using System.Buffers.Binary;

namespace EdgeVoice.Audio.Wav;

/// <summary>A WAV file as mono float samples in [-1, 1] and its sample rate.</summary>
internal sealed record MonoClip(float[] Samples, int SampleRate)
{
    public double Seconds => (double)Samples.Length / SampleRate;
}

/// <summary>
/// Reads RIFF WAV files: PCM 8 (unsigned), 16, 24 and 32 bits, IEEE float 32 and 64 bits, plain or
/// WAVE_FORMAT_EXTENSIBLE, any rate and channel count. Channels are averaged to mono.
/// </summary>
internal static class WavReader
{
    private const ushort Pcm = 1;
    private const ushort IeeeFloat = 3;
    private const ushort Extensible = 0xFFFE;

    public static MonoClip ReadMono(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WavFormatException(path, e.Message);
        }

        return ReadMono(bytes, path);
    }

    public static MonoClip ReadMono(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            throw new WavFormatException(name, "not a RIFF WAVE file");
        }

        (ushort Tag, int Channels, int Rate, int Bits)? format = null;
        var position = 12;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(position + 4, 4));
            var body = position + 8;
            var available = (int)Math.Min(size, (uint)(file.Length - body));
            if (id.SequenceEqual("fmt "u8))
            {
                format = ReadFormat(file.Slice(body, available), name);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not { } f)
                {
                    throw new WavFormatException(name, "the data chunk comes before the fmt chunk");
                }

                return new MonoClip(Decode(file.Slice(body, available), f.Tag, f.Channels, f.Bits, name), f.Rate);
            }

            position = body + (int)Math.Min(size + (size & 1), int.MaxValue - body);
        }

        throw new WavFormatException(name, format is null ? "no fmt chunk" : "no data chunk");
    }

    private static (ushort Tag, int Channels, int Rate, int Bits) ReadFormat(ReadOnlySpan<byte> fmt, string name)
    {
        if (fmt.Length < 16)
        {
            throw new WavFormatException(name, "the fmt chunk is too short");
        }

        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var rate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (tag == Extensible)
        {
            // The sub-format GUID starts with the real format tag.
            tag = fmt.Length >= 26 ? BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]) : (ushort)0;
        }

        var supported = (tag == Pcm && bits is 8 or 16 or 24 or 32) || (tag == IeeeFloat && bits is 32 or 64);
        if (!supported)
        {
            throw new WavFormatException(name, $"format {tag} with {bits}-bit samples is not supported (PCM 8/16/24/32-bit or float 32/64-bit)");
        }

        if (channels == 0 || rate <= 0)
        {
            throw new WavFormatException(name, $"{channels} channels at {rate} Hz is not audio");
        }

        return (tag, channels, rate, bits);
    }

    private static float[] Decode(ReadOnlySpan<byte> data, ushort tag, int channels, int bits, string name)
    {
        var bytesPerSample = bits / 8;
        var frames = data.Length / (bytesPerSample * channels);
        if (frames == 0)
        {
            throw new WavFormatException(name, "the data chunk holds no samples");
        }

        var mono = new float[frames];
        var scale = 1f / channels;
        for (var frame = 0; frame < frames; frame++)
        {
            var sum = 0.0;
            for (var channel = 0; channel < channels; channel++)
            {
                var at = data.Slice(((frame * channels) + channel) * bytesPerSample, bytesPerSample);
                sum += (tag, bits) switch
                {
                    (IeeeFloat, 32) => BinaryPrimitives.ReadSingleLittleEndian(at),
                    (IeeeFloat, _) => BinaryPrimitives.ReadDoubleLittleEndian(at),
                    (_, 8) => (at[0] - 128) / 128.0,
                    (_, 16) => BinaryPrimitives.ReadInt16LittleEndian(at) / 32768.0,
                    (_, 24) => ((at[2] << 24 | at[1] << 16 | at[0] << 8) >> 8) / 8388608.0,
                    _ => BinaryPrimitives.ReadInt32LittleEndian(at) / 2147483648.0,
                };
            }

            mono[frame] = (float)sum * scale;
        }

        return mono;
    }
}

/// <summary>A file is not a WAV file this reader can use; the message says which file and why.</summary>
internal sealed class WavFormatException(string file, string reason) : Exception($"{file}: {reason}.");
