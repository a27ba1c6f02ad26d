namespace EdgeVoice.Inference;

/// <summary>The few pieces of the protobuf wire format that reading an ONNX file needs: tags, varints, skipping a field.</summary>
internal static class OnnxWire
{
    public static (int Field, int Wire) Tag(Stream stream)
    {
        var tag = Varint(stream);
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    /// <summary>
    /// Walks the fields of a model's main graph (ModelProto.graph, field 7): <paramref name="read"/> gets
    /// each field's number, wire type and the stream at its value, and returns false to have it skipped.
    /// Throws <see cref="InvalidDataException"/> when the file is not a model.
    /// </summary>
    public static void ForEachGraphField(string path, Func<int, int, Stream, bool> read)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var end = file.Length;
        while (file.Position < end)
        {
            var (field, wire) = Tag(file);
            if (field == 7 && wire == 2)
            {
                var graphEnd = End(file);
                while (file.Position < graphEnd)
                {
                    var (f, w) = Tag(file);
                    if (!read(f, w, file))
                    {
                        Skip(file, w);
                    }
                }

                return;
            }

            Skip(file, wire);
        }

        throw new InvalidDataException($"{path} has no graph");
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
