using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EdgeVoice.Audio.Wav;

/// <summary>
/// Streams 16-bit PCM into a RIFF/WAVE file: the header is written first with placeholder sizes,
/// samples are appended as they arrive, and the sizes are filled in by <see cref="Complete"/>.
/// </summary>
internal sealed class WavWriter : IDisposable
{
    private const int HeaderBytes = 44;
    private readonly FileStream _stream;
    private readonly AudioFormat _format;
    private long _dataBytes;
    private bool _completed;

    public WavWriter(string path, AudioFormat format)
    {
        _format = format;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        Span<byte> header = stackalloc byte[HeaderBytes];
        WriteHeader(header, format, dataBytes: 0);
        _stream.Write(header);
    }

    public long DataBytes => _dataBytes;

    public void Write(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (BitConverter.IsLittleEndian)
        {
            _stream.Write(MemoryMarshal.AsBytes(samples));
        }
        else
        {
            Span<byte> pair = stackalloc byte[2];
            foreach (var sample in samples)
            {
                BinaryPrimitives.WriteInt16LittleEndian(pair, sample);
                _stream.Write(pair);
            }
        }

        _dataBytes += (long)samples.Length * AudioFormat.BytesPerSample;
    }

    /// <summary>Fills in the RIFF and data sizes and flushes the file.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        Span<byte> header = stackalloc byte[HeaderBytes];
        WriteHeader(header, _format, _dataBytes);
        _stream.Position = 0;
        _stream.Write(header);
        _stream.Flush(flushToDisk: false);
    }

    public void Dispose()
    {
        try
        {
            Complete();
        }
        finally
        {
            Abandon();
        }
    }

    /// <summary>Closes the file without completing it; bytes that cannot be stored are dropped.</summary>
    public void Abandon()
    {
        _completed = true;
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // The buffered bytes could not be stored (the disk is full); the file is being given up.
        }
    }

    internal static void WriteHeader(Span<byte> header, AudioFormat format, long dataBytes)
    {
        var data = (uint)Math.Min(dataBytes, uint.MaxValue - HeaderBytes);
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], data + HeaderBytes - 8);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)format.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)format.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(format.SampleRate * format.BytesPerFrame));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)format.BytesPerFrame);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], data);
    }
}
