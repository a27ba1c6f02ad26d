namespace EdgeVoice.Inference;

/// <summary>The few pieces of the protobuf wire format that reading an ONNX file needs: tags, varints, skipping a field.</summary>
internal static class OnnxWire
{
    public static (int Field, int Wire) Tag(Stream stream)
    {
        var tag = Varint(stream);
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    /// <summary>Reads a length-delimited field's length; where the field ends.</summary>
    public static long End(Stream stream)
    {
        var length = checked((long)Varint(stream));
        return checked(stream.Position + length);
    }

    public static ulong Varint(Stream stream)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new InvalidDataException("the ONNX file ends inside a field");
            }

            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("a malformed varint in the ONNX file");
    }

    public static void Skip(Stream stream, int wire)
    {
        switch (wire)
        {
            case 0:
                Varint(stream);
                break;
            case 1:
                stream.Seek(8, SeekOrigin.Current);
                break;
            case 2:
                stream.Seek(checked((long)Varint(stream)), SeekOrigin.Current);
                break;
            case 5:
                stream.Seek(4, SeekOrigin.Current);
                break;
            default:
                throw new InvalidDataException($"wire type {wire} is not valid in an ONNX file");
        }
    }
}
