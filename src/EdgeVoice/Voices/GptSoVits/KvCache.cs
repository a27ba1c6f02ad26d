using EdgeVoice.Inference;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>
/// The GPT's key and value caches, [layers, 1, rows, width] each, as two pairs of buffers that
/// alternate between input and output of <c>gpt_step</c> (no cache is allocated per step). Rows come
/// in buckets: a chunk starts in the smallest bucket that fits and <see cref="Grow"/> moves to a
/// larger one, keeping every row written so far. <typeparamref name="T"/> is the element type the
/// graph declares (float, or float16 for an FP16 export).
/// With a <see cref="TensorMemory"/> (CUDA and TensorRT, <see cref="BindingPlan"/>) both pairs live in
/// that memory: the host keeps one staging copy, written when a chunk starts (<see cref="Fill"/>) or the
/// bucket grows, never per step. Without one, the pairs are host arrays bound directly.
/// </summary>
internal sealed class KvCache<T> : IKvCache
    where T : unmanaged
{
    private readonly int _layers;
    private readonly int _width;
    private readonly TensorMemory? _memory;
    private readonly TensorElementType _type;
    private T[] _kIn = [], _vIn = [], _kOut = [], _vOut = [];
    private DeviceBuffer? _kInBuffer, _vInBuffer, _kOutBuffer, _vOutBuffer;
    private OrtValue? _kInValue, _vInValue, _kOutValue, _vOutValue;

    public KvCache(int layers, int width, TensorMemory? memory = null)
    {
        _layers = layers;
        _width = width;
        _memory = memory;
        _type = typeof(T) == typeof(Float16) ? TensorElementType.Float16 : TensorElementType.Float;
    }

    /// <summary>Rows per layer of the current bucket.</summary>
    public int Rows { get; private set; }

    /// <summary>Whether the pairs live in a <see cref="TensorMemory"/> rather than in host arrays.</summary>
    public bool Staged => _memory is not null;

    /// <summary>Makes room for <paramref name="rows"/> rows and clears it; buffers are reused when the size matches.</summary>
    public void Reset(int rows)
    {
        if (rows != Rows)
        {
            Allocate(rows);
        }
        else
        {
            Array.Clear(_kIn);
            Array.Clear(_vIn);
            _kInBuffer?.Clear();
            _vInBuffer?.Clear();
        }
    }

    /// <summary>Copies the first <paramref name="filled"/> rows of each layer from the encoder's caches (any row count).</summary>
    public void Fill(OrtValue keys, OrtValue values, int filled)
    {
        var sourceRows = (int)keys.GetTensorTypeAndShape().Shape[2];
        if (filled > Rows || filled > sourceRows)
        {
            throw new InvalidOperationException($"{filled} cache rows do not fit (bucket {Rows}, encoder gave {sourceRows})");
        }

        CopyRows(keys.GetTensorDataAsSpan<T>(), sourceRows, _kIn, Rows, filled);
        CopyRows(values.GetTensorDataAsSpan<T>(), sourceRows, _vIn, Rows, filled);
        Upload();
    }

    /// <summary>Moves to <paramref name="rows"/> rows per layer, keeping the content of every existing row.</summary>
    public void Grow(int rows)
    {
        Download();
        var (k, v, old) = (_kIn, _vIn, Rows);
        Allocate(rows);
        CopyRows(k, old, _kIn, rows, old);
        CopyRows(v, old, _vIn, rows, old);
        Upload();
    }

    /// <summary>Binds this step's caches: the current pair as inputs, the other pair as outputs.</summary>
    public void Bind(OrtIoBinding binding)
    {
        binding.BindInput("k_cache", _kInValue!);
        binding.BindInput("v_cache", _vInValue!);
        binding.BindOutput("k_cache_new", _kOutValue!);
        binding.BindOutput("v_cache_new", _vOutValue!);
    }

    /// <summary>After a step: what was written becomes the next step's input.</summary>
    public void Swap()
    {
        if (!Staged)
        {
            (_kIn, _kOut) = (_kOut, _kIn);
            (_vIn, _vOut) = (_vOut, _vIn);
        }

        (_kInBuffer, _kOutBuffer) = (_kOutBuffer, _kInBuffer);
        (_vInBuffer, _vOutBuffer) = (_vOutBuffer, _vInBuffer);
        (_kInValue, _kOutValue) = (_kOutValue, _kInValue);
        (_vInValue, _vOutValue) = (_vOutValue, _vInValue);
    }

    /// <summary>Row <paramref name="row"/> of layer <paramref name="layer"/> of the current keys (for tests; a copy from the device when staged).</summary>
    public T[] KeyRow(int layer, int row)
    {
        Download();
        return _kIn.AsSpan(((layer * Rows) + row) * _width, _width).ToArray();
    }

    public void Dispose() => DisposeValues();

    private void Allocate(int rows)
    {
        DisposeValues();
        Rows = rows;
        var length = _layers * rows * _width;
        long[] shape = [_layers, 1, rows, _width];
        _kIn = new T[length];
        _vIn = new T[length];
        if (_memory is { } memory)
        {
            // The host keeps one staging pair; both device pairs start cleared.
            var bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            (_kInBuffer, _kInValue) = DeviceTensor(memory, bytes, shape);
            (_vInBuffer, _vInValue) = DeviceTensor(memory, bytes, shape);
            (_kOutBuffer, _kOutValue) = DeviceTensor(memory, bytes, shape);
            (_vOutBuffer, _vOutValue) = DeviceTensor(memory, bytes, shape);
            return;
        }

        _kOut = new T[length];
        _vOut = new T[length];
        _kInValue = OrtValue.CreateTensorValueFromMemory(_kIn, shape);
        _vInValue = OrtValue.CreateTensorValueFromMemory(_vIn, shape);
        _kOutValue = OrtValue.CreateTensorValueFromMemory(_kOut, shape);
        _vOutValue = OrtValue.CreateTensorValueFromMemory(_vOut, shape);
    }

    private (DeviceBuffer Buffer, OrtValue Value) DeviceTensor(TensorMemory memory, long bytes, long[] shape)
    {
        var buffer = memory.Allocate(bytes);
        buffer.Clear();
        return (buffer, memory.Tensor(buffer.Pointer, bytes, _type, shape));
    }

    /// <summary>Staging to the current device pair (nothing when the pairs are host arrays).</summary>
    private void Upload()
    {
        _kInBuffer?.Upload<T>(_kIn);
        _vInBuffer?.Upload<T>(_vIn);
    }

    /// <summary>The current device pair to staging (nothing when the pairs are host arrays).</summary>
    private void Download()
    {
        _kInBuffer?.Download<T>(_kIn);
        _vInBuffer?.Download<T>(_vIn);
    }

    private void CopyRows(ReadOnlySpan<T> source, int sourceRows, Span<T> target, int targetRows, int rows)
    {
        for (var layer = 0; layer < _layers; layer++)
        {
            source.Slice(layer * sourceRows * _width, rows * _width).CopyTo(target.Slice(layer * targetRows * _width, rows * _width));
        }
    }

    private void DisposeValues()
    {
        _kInValue?.Dispose();
        _vInValue?.Dispose();
        _kOutValue?.Dispose();
        _vOutValue?.Dispose();
        _kInBuffer?.Dispose();
        _vInBuffer?.Dispose();
        _kOutBuffer?.Dispose();
        _vOutBuffer?.Dispose();
        (_kInValue, _vInValue, _kOutValue, _vOutValue) = (null, null, null, null);
        (_kInBuffer, _vInBuffer, _kOutBuffer, _vOutBuffer) = (null, null, null, null);
    }
}

/// <summary>A <see cref="KvCache{T}"/> of whichever element type the graph declares.</summary>
internal interface IKvCache : IDisposable
{
    int Rows { get; }

    bool Staged { get; }

    void Reset(int rows);

    void Fill(OrtValue keys, OrtValue values, int filled);

    void Grow(int rows);

    void Bind(OrtIoBinding binding);

    void Swap();

    /// <summary>The cache for <paramref name="keys"/>' element type, in <paramref name="memory"/> when given (a device), else in host arrays.</summary>
    static IKvCache For(NodeMetadata keys, int layers, int width, TensorMemory? memory = null) => keys.ElementDataType switch
    {
        TensorElementType.Float => new KvCache<float>(layers, width, memory),
        TensorElementType.Float16 => new KvCache<Float16>(layers, width, memory),
        var other => throw new InvalidDataException($"k_cache is {other}; float or float16 expected"),
    };
}
