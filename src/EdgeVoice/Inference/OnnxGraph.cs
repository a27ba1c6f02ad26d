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
        var nodes = new List<Node>();
        OnnxWire.ForEachGraphField(path, (field, wire, stream) =>
        {
            if (field != 1 || wire != 2)
            {
                return false;
            }

            var bytes = new byte[checked((int)OnnxWire.Varint(stream))];
            stream.ReadExactly(bytes);
            nodes.Add(ParseNode(bytes));
            return true;
        });
        return nodes;
    }

    private static Node ParseNode(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var inputs = new List<string>();
        var outputs = new List<string>();
        var op = string.Empty;
        while (stream.Position < stream.Length)
        {
            var (field, wire) = OnnxWire.Tag(stream);
            if (wire == 2 && field is 1 or 2 or 4)
            {
                var text = new byte[checked((int)OnnxWire.Varint(stream))];
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
                OnnxWire.Skip(stream, wire);
            }
        }

        return new Node(op, inputs, outputs);
    }
}
