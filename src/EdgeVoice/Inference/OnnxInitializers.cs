using System.Text;

namespace EdgeVoice.Inference;

/// <summary>
/// Where an ONNX model's weights lie in its file, read straight from the protobuf wire format:
/// ModelProto.graph (7) → GraphProto.initializer (5) → TensorProto dims (1), data_type (2), name (8),
/// raw_data (9). Only the position and length of each weight's bytes are recorded, never the bytes,
/// so listing a 300 MB model costs a few milliseconds. Weights kept outside the file (external data)
/// or in the typed fields (<c>float_data</c> and the like) are not listed.
/// </summary>
internal static class OnnxInitializers
{
    /// <summary>ONNX's <c>TensorProto.DataType</c> values this reader names.</summary>
    public const int Float = 1;
    public const int Float16 = 10;

    /// <summary>One weight: its name, ONNX element type, shape, and where its raw bytes are in the file.</summary>
    public sealed record Weight(string Name, int DataType, long[] Dims, long Offset, long Length);

    /// <summary>The main graph's weights stored as raw bytes in the file.</summary>
    public static IReadOnlyList<Weight> Read(string path)
    {
        var weights = new List<Weight>();
        OnnxWire.ForEachGraphField(path, (field, wire, stream) =>
        {
            if (field != 5 || wire != 2)
            {
                return false;
            }

            var tensorEnd = OnnxWire.End(stream);
            if (ReadTensor(stream, tensorEnd) is { } weight)
            {
                weights.Add(weight);
            }

            stream.Position = tensorEnd;
            return true;
        });
        return weights;
    }

    private static Weight? ReadTensor(Stream file, long end)
    {
        var dims = new List<long>();
        var dataType = 0;
        var name = string.Empty;
        long offset = -1, length = 0;
        while (file.Position < end)
        {
            var (field, wire) = OnnxWire.Tag(file);
            switch (field, wire)
            {
                case (1, 0):
                    dims.Add((long)OnnxWire.Varint(file));
                    break;
                case (1, 2):
                    var packedEnd = OnnxWire.End(file);
                    while (file.Position < packedEnd)
                    {
                        dims.Add((long)OnnxWire.Varint(file));
                    }

                    break;
                case (2, 0):
                    dataType = (int)OnnxWire.Varint(file);
                    break;
                case (8, 2):
                    var text = new byte[checked((int)OnnxWire.Varint(file))];
                    file.ReadExactly(text);
                    name = Encoding.UTF8.GetString(text);
                    break;
                case (9, 2):
                    length = checked((long)OnnxWire.Varint(file));
                    offset = file.Position;
                    file.Seek(length, SeekOrigin.Current);
                    break;
                default:
                    OnnxWire.Skip(file, wire);
                    break;
            }
        }

        return offset >= 0 && name.Length > 0 ? new Weight(name, dataType, [.. dims], offset, length) : null;
    }
}
