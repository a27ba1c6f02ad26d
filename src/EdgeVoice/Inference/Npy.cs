using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeVoice.Inference;

/// <summary>An array read from a <c>.npy</c> file: its NumPy type (<c>&lt;f4</c>, <c>&lt;i8</c>, …), shape and raw little-endian data.</summary>
internal sealed record NpyArray(string Descr, long[] Shape, byte[] Data)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public T[] As<T>()
        where T : unmanaged
    {
        var expected = Npy.DescrOf<T>();
        return Descr == expected
            ? MemoryMarshal.Cast<byte, T>(Data).ToArray()
            : throw new InvalidDataException($"the array holds {Descr}, not {expected}");
    }
}

/// <summary>
/// NumPy's <c>.npy</c> format, version 1.0, C order, little-endian: what <c>numpy.save</c> writes,
/// byte for byte (the header dictionary, its growth padding and the 64-byte alignment), so caches
/// written here open in NumPy and the other way round.
/// </summary>
internal static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int Align = 64;
    private const int GrowthAxisMaxDigits = 21;

    public static string DescrOf<T>()
        where T : unmanaged =>
        typeof(T) == typeof(float) ? "<f4"
        : typeof(T) == typeof(long) ? "<i8"
        : typeof(T) == typeof(int) ? "<i4"
        : typeof(T) == typeof(short) ? "<i2"
        : typeof(T) == typeof(Half) ? "<f2"
        : typeof(T) == typeof(double) ? "<f8"
        : throw new NotSupportedException($"{typeof(T).Name} has no .npy type here");

    public static void Write<T>(string path, ReadOnlySpan<T> data, params long[] shape)
        where T : unmanaged
    {
        using var stream = File.Create(path);
        Write(stream, data, shape);
    }

    public static void Write<T>(Stream stream, ReadOnlySpan<T> data, params long[] shape)
        where T : unmanaged
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length)
        {
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} values, not {data.Length}");
        }

        stream.Write(Header(DescrOf<T>(), shape));
        stream.Write(MemoryMarshal.AsBytes(data));
    }

    public static NpyArray Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a .npy file");
        }

        var (headerLength, start) = bytes[6] switch
        {
            1 => (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10),
            2 or 3 => ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), 12),
            _ => throw new InvalidDataException($".npy version {bytes[6]} is not known"),
        };
        if (start + headerLength > bytes.Length)
        {
            throw new InvalidDataException("the .npy header is cut short");
        }

        var header = Encoding.Latin1.GetString(bytes, start, headerLength);
        var match = HeaderPattern().Match(header);
        if (!match.Success)
        {
            throw new InvalidDataException($"the .npy header is not understood: {header.Trim()}");
        }

        if (match.Groups["fortran"].Value == "True")
        {
            throw new InvalidDataException("Fortran-ordered arrays are not read here");
        }

        var shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        var descr = match.Groups["descr"].Value;
        var width = descr.Length == 3 && descr[0] is '<' or '|' && int.TryParse(descr.AsSpan(2), out var w) ? w : 0;
        if (width == 0)
        {
            throw new InvalidDataException($"the element type {descr} is not read here (little-endian numbers only)");
        }

        var data = bytes.AsSpan(start + headerLength);
        var expected = shape.Aggregate(1L, (a, b) => a * b) * width;
        if (data.Length != expected)
        {
            throw new InvalidDataException($"the data holds {data.Length} bytes, the header says {expected}");
        }

        return new NpyArray(descr, shape, data.ToArray());
    }

    /// <summary>numpy.lib.format's header: the sorted dict, spare room for the first axis to grow, padding to 64 bytes, a newline.</summary>
    private static byte[] Header(string descr, long[] shape)
    {
        var tuple = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple}, }}";
        if (shape.Length > 0)
        {
            dict += new string(' ', GrowthAxisMaxDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length);
        }

        var length = dict.Length + 1;
        var pad = Align - ((Magic.Length + 2 + 2 + length) % Align);
        var header = new byte[Magic.Length + 4 + length + pad];
        Magic.CopyTo(header, 0);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)(length + pad));
        Encoding.ASCII.GetBytes(dict, header.AsSpan(10));
        header.AsSpan(10 + dict.Length, pad).Fill((byte)' ');
        header[^1] = (byte)'\n';
        return header;
    }

    [GeneratedRegex(@"'descr':\s*'(?<descr>[^']+)'.*'fortran_order':\s*(?<fortran>True|False).*'shape':\s*\((?<shape>[^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex HeaderPattern();
}
