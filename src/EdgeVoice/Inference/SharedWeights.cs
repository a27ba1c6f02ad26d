using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeVoice.Inference;

/// <summary>
/// One copy of the weights that several graphs hold alike (a GPT-SoVITS bundle's gpt_encoder and
/// gpt_step are two exports of the same 77.6 M-weight model). The weights found byte for byte in
/// more than one of the graphs are read once into native memory and handed to each session with
/// <c>SessionOptions.AddInitializer</c>, so ONNX Runtime neither copies them out of each graph nor
/// keeps one copy per session; with the factory's shared <see cref="PrePackedWeightsContainer"/>
/// their pre-packed forms are kept once as well. Matching is by content (element type, shape and
/// SHA-256), not by name: an exporter names the same weight differently in each graph.
/// </summary>
internal sealed unsafe class SharedWeights : IDisposable
{
    /// <summary>Smaller weights are left to each graph: sharing them saves nothing worth the bookkeeping.</summary>
    public const long MinBytes = 64 * 1024;

    private readonly Dictionary<string, List<(string Name, OrtValue Value)>> _byModel = new(StringComparer.Ordinal);
    private readonly List<OrtValue> _values = [];
    private readonly List<nint> _buffers = [];

    private SharedWeights()
    {
    }

    /// <summary>Weights held once for all the graphs.</summary>
    public int Count => _values.Count;

    /// <summary>Bytes held once for all the graphs (each graph would otherwise hold its own).</summary>
    public long Bytes { get; private set; }

    /// <summary>The weights of at least <paramref name="minBytes"/> bytes that the graphs at <paramref name="modelPaths"/> have in common, loaded once.</summary>
    public static SharedWeights Find(IReadOnlyList<string> modelPaths, long minBytes = MinBytes)
    {
        var shared = new SharedWeights();
        try
        {
            var weights = modelPaths.Select(p => (Path: Path.GetFullPath(p), Weights: OnnxInitializers.Read(p))).ToList();
            var candidates = weights
                .SelectMany(m => m.Weights.Where(w => w.Length >= minBytes && Shareable(w)).Select(w => (m.Path, Weight: w)))
                .GroupBy(x => (x.Weight.DataType, x.Weight.Length, Shape: string.Join('x', x.Weight.Dims)))
                .Where(g => g.Select(x => x.Path).Distinct().Count() > 1);
            foreach (var group in candidates)
            {
                foreach (var same in group.GroupBy(x => Hash(x.Path, x.Weight)).Where(g => g.Select(x => x.Path).Distinct().Count() > 1))
                {
                    var first = same.First();
                    var value = shared.Load(first.Path, first.Weight);
                    foreach (var (path, weight) in same)
                    {
                        if (!shared._byModel.TryGetValue(path, out var list))
                        {
                            shared._byModel[path] = list = [];
                        }

                        list.Add((weight.Name, value));
                    }
                }
            }

            return shared;
        }
        catch
        {
            shared.Dispose();
            throw;
        }
    }

    /// <summary>Hands this graph's shared weights to the session about to be made from <paramref name="options"/>.</summary>
    public int AddTo(SessionOptions options, string modelPath)
    {
        if (!_byModel.TryGetValue(Path.GetFullPath(modelPath), out var list))
        {
            return 0;
        }

        foreach (var (name, value) in list)
        {
            options.AddInitializer(name, value);
        }

        return list.Count;
    }

    /// <summary>Frees the weights; only once every session made with them is disposed.</summary>
    public void Dispose()
    {
        foreach (var value in _values)
        {
            value.Dispose();
        }

        foreach (var buffer in _buffers)
        {
            NativeMemory.AlignedFree((void*)buffer);
        }

        _values.Clear();
        _buffers.Clear();
        _byModel.Clear();
    }

    private static bool Shareable(OnnxInitializers.Weight weight) =>
        weight.DataType is OnnxInitializers.Float or OnnxInitializers.Float16
        && weight.Length == weight.Dims.Aggregate(1L, (a, d) => a * d) * (weight.DataType == OnnxInitializers.Float ? 4 : 2);

    private static string Hash(string path, OnnxInitializers.Weight weight)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        file.Position = weight.Offset;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (var left = weight.Length; left > 0;)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new InvalidDataException($"{path}: the weight '{weight.Name}' runs past the end of the file");
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private OrtValue Load(string path, OnnxInitializers.Weight weight)
    {
        var buffer = (byte*)NativeMemory.AlignedAlloc((nuint)weight.Length, 64);
        _buffers.Add((nint)buffer);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            file.Position = weight.Offset;
            file.ReadExactly(new Span<byte>(buffer, checked((int)weight.Length)));
        }

        var type = weight.DataType == OnnxInitializers.Float ? TensorElementType.Float : TensorElementType.Float16;
        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, type, weight.Dims, (nint)buffer, weight.Length);
        _values.Add(value);
        Bytes += weight.Length;
        return value;
    }
}
