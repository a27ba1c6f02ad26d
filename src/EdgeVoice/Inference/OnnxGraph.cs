using System.Text;

namespace EdgeVoice.Inference;

/// <summary>
/// The nodes of an ONNX model's main graph (operator, inputs, outputs), read straight from the protobuf
/// wire format: ModelProto.graph (7) → GraphProto.node (1) → NodeProto.input (1), output (2),
/// op_type (4). Weights (GraphProto.initializer) are skipped without being read, so a large model costs
/// only its node list. Nodes inside subgraphs (If, Loop) are not listed.
/// </summary>
internal static class OnnxGraph
{
    /// <summary>One node: its operator and the names of the tensors it reads and writes.</summary>
    public sealed record Node(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

    /// <summary>The main graph's nodes; throws <see cref="InvalidDataException"/> when the file is not a model.</summary>
    public static IReadOnlyList<Node> Nodes(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var nodes = new List<Node>();
        var end = file.Length;
        while (file.Position < end)
        {
            var (field, wire) = Tag(file);
            if (field == 7 && wire == 2)
            {
                var graphEnd = checked(file.Position + (long)Varint(file));
                while (file.Position < graphEnd)
                {
                    var (f, w) = Tag(file);
                    if (f == 1 && w == 2)
                    {
                        var bytes = new byte[checked((int)Varint(file))];
                        file.ReadExactly(bytes);
                        nodes.Add(ParseNode(bytes));
                    }
                    else
                    {
                        Skip(file, w);
                    }
                }

                return nodes;
            }

            Skip(file, wire);
        }

        throw new InvalidDataException($"{path} has no graph");
    }

    private static Node ParseNode(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var inputs = new List<string>();
        var outputs = new List<string>();
        var op = string.Empty;
        while (stream.Position < stream.Length)
        {
            var (field, wire) = Tag(stream);
            if (wire == 2 && field is 1 or 2 or 4)
            {
                var text = new byte[checked((int)Varint(stream))];
                stream.ReadExactly(text);
                var value = Encoding.UTF8.GetString(text);
                (field == 1 ? inputs : field == 2 ? outputs : null)?.Add(value);
                if (field == 4)
                {
                    op = value;
                }
            }
            else
            {
                Skip(stream, wire);
            }
        }

        return new Node(op, inputs, outputs);
    }

    private static (int Field, int Wire) Tag(Stream stream)
    {
        var tag = Varint(stream);
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    private static ulong Varint(Stream stream)
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

    private static void Skip(Stream stream, int wire)
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
