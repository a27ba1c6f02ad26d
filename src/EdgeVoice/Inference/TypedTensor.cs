using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeVoice.Inference;

/// <summary>
/// Inputs made in the element type the model declares: a graph exported in FP16 takes float16 where
/// another takes float32, and an index may be int32 or int64. Outputs are read back as float or long.
/// </summary>
internal static class TypedTensor
{
    public static OrtValue Floats(NodeMetadata metadata, float[] values, long[] shape, string name) =>
        metadata.ElementDataType switch
        {
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(values, shape),
            TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(values, v => (Float16)v), shape),
            TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(values, v => (double)v), shape),
            var other => throw new InvalidDataException($"input '{name}' is {other}, where a float tensor was expected"),
        };

    public static OrtValue Longs(NodeMetadata metadata, long[] values, long[] shape, string name) =>
        metadata.ElementDataType switch
        {
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(values, shape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(values, v => (int)v), shape),
            var other => throw new InvalidDataException($"input '{name}' is {other}, where an integer tensor was expected"),
        };

    public static float[] ReadFloats(OrtValue value) =>
        value.GetTensorTypeAndShape().ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => [.. value.GetTensorDataAsSpan<Float16>().ToArray().Select(h => (float)h)],
            TensorElementType.Double => [.. value.GetTensorDataAsSpan<double>().ToArray().Select(d => (float)d)],
            var other => throw new InvalidDataException($"an output is {other}, where a float tensor was expected"),
        };

    public static long[] ReadLongs(OrtValue value) =>
        value.GetTensorTypeAndShape().ElementDataType switch
        {
            TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
            TensorElementType.Int32 => [.. value.GetTensorDataAsSpan<int>().ToArray().Select(i => (long)i)],
            var other => throw new InvalidDataException($"an output is {other}, where an integer tensor was expected"),
        };

    /// <summary>
    /// Runs <paramref name="session"/> on every input it declares, and only those (the loader rule of the
    /// voice contracts), each made by <paramref name="input"/> from its name and metadata; the inputs are
    /// released when the run returns.
    /// </summary>
    public static IDisposableReadOnlyCollection<OrtValue> RunDeclared(
        InferenceSession session, RunOptions options, Func<string, NodeMetadata, OrtValue> input, IReadOnlyCollection<string> outputs)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, metadata) in session.InputMetadata)
            {
                values.Add(input(name, metadata));
                names.Add(name);
            }

            return session.Run(options, names, values, outputs);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }
}
