using System.Runtime.InteropServices;
using EdgeVoice.Inference.Native;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeVoice.Inference;

/// <summary>Where a bound tensor's buffer lives.</summary>
internal enum TensorHome
{
    /// <summary>Managed or native host memory that the application reads and writes directly.</summary>
    Host,

    /// <summary>Memory of the provider's device (CUDA), reached only by copies.</summary>
    Device,
}

/// <summary>
/// Raw buffers in one kind of memory, wrapped as ONNX Runtime tensors and filled by copies from the host:
/// <see cref="Cuda"/> for sessions on CUDA or TensorRT. <see cref="HostStaged"/> is the same contract on
/// host memory, so that the staged code path (upload, download, clear) also runs and is tested on a CPU.
/// </summary>
internal abstract class TensorMemory : IDisposable
{
    public abstract OrtMemoryInfo Info { get; }

    /// <summary>Memory of CUDA device <paramref name="deviceId"/>.</summary>
    public static TensorMemory Cuda(int deviceId) => new CudaMemory(deviceId);

    /// <summary>Host memory used through the device code path.</summary>
    public static TensorMemory HostStaged() => new HostMemory();

    /// <summary>The memory a plan's <see cref="TensorHome.Device"/> tensors live in.</summary>
    public static TensorMemory For(BindingPlan plan, int deviceId) => plan.Provider == ExecutionProvider.Cpu ? HostStaged() : Cuda(deviceId);

    public abstract DeviceBuffer Allocate(long bytes);

    public abstract void Upload(IntPtr device, IntPtr host, long bytes);

    public abstract void Download(IntPtr host, IntPtr device, long bytes);

    public abstract void Clear(IntPtr device, long bytes);

    public abstract void Dispose();

    /// <summary>A tensor of <paramref name="type"/> and <paramref name="shape"/> over <paramref name="bytes"/> bytes at <paramref name="pointer"/>.</summary>
    public OrtValue Tensor(IntPtr pointer, long bytes, TensorElementType type, long[] shape) =>
        OrtValue.CreateTensorValueWithData(Info, type, shape, pointer, bytes);

    private sealed class CudaMemory : TensorMemory
    {
        private readonly OrtMemoryInfo _info;

        public CudaMemory(int deviceId)
        {
            Check(CudaRuntime.SetDevice(deviceId), "cudaSetDevice");
            _info = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, deviceId, OrtMemType.Default);
        }

        public override OrtMemoryInfo Info => _info;

        public override DeviceBuffer Allocate(long bytes)
        {
            Check(CudaRuntime.Malloc(out var pointer, (nuint)bytes), "cudaMalloc");
            return new DeviceBuffer(this, pointer, bytes);
        }

        public override void Upload(IntPtr device, IntPtr host, long bytes)
        {
            Check(CudaRuntime.Memcpy(device, host, (nuint)bytes, CudaRuntime.CopyDefault), "cudaMemcpy to the device");

            // A copy from pageable memory may still be in flight when cudaMemcpy returns, and ONNX Runtime's
            // stream does not wait for the default stream: the next run must find the data there.
            Check(CudaRuntime.DeviceSynchronize(), "cudaDeviceSynchronize");
        }

        public override void Download(IntPtr host, IntPtr device, long bytes) =>
            Check(CudaRuntime.Memcpy(host, device, (nuint)bytes, CudaRuntime.CopyDefault), "cudaMemcpy to the host");

        public override void Clear(IntPtr device, long bytes)
        {
            Check(CudaRuntime.Memset(device, 0, (nuint)bytes), "cudaMemset");
            Check(CudaRuntime.DeviceSynchronize(), "cudaDeviceSynchronize");
        }

        public override void Dispose() => _info.Dispose();

        // A failed free at release leaves nothing to do but go on.
        internal override void Release(IntPtr pointer) => _ = CudaRuntime.Free(pointer);

        private static void Check(int error, string call)
        {
            if (error != 0)
            {
                throw new InferenceUnavailableException($"{call} failed: {Marshal.PtrToStringUTF8(CudaRuntime.ErrorString(error))} (CUDA error {error})");
            }
        }
    }

    private sealed class HostMemory : TensorMemory
    {
        public override OrtMemoryInfo Info => OrtMemoryInfo.DefaultInstance;

        public override unsafe DeviceBuffer Allocate(long bytes) => new(this, (IntPtr)NativeMemory.AllocZeroed((nuint)bytes), bytes);

        public override unsafe void Upload(IntPtr device, IntPtr host, long bytes) => Buffer.MemoryCopy((void*)host, (void*)device, bytes, bytes);

        public override unsafe void Download(IntPtr host, IntPtr device, long bytes) => Buffer.MemoryCopy((void*)device, (void*)host, bytes, bytes);

        public override unsafe void Clear(IntPtr device, long bytes) => NativeMemory.Clear((void*)device, (nuint)bytes);

        internal override unsafe void Release(IntPtr pointer) => NativeMemory.Free((void*)pointer);

        public override void Dispose()
        {
        }
    }

    internal abstract void Release(IntPtr pointer);
}

/// <summary>One allocation in a <see cref="TensorMemory"/>; freed once.</summary>
internal sealed class DeviceBuffer(TensorMemory memory, IntPtr pointer, long bytes) : IDisposable
{
    private IntPtr _pointer = pointer;

    public IntPtr Pointer => _pointer;

    public long Bytes => bytes;

    /// <summary>Copies <paramref name="source"/> to the start of this buffer.</summary>
    public unsafe void Upload<T>(ReadOnlySpan<T> source)
        where T : unmanaged
    {
        fixed (T* host = source)
        {
            memory.Upload(_pointer, (IntPtr)host, (long)source.Length * sizeof(T));
        }
    }

    /// <summary>Copies the start of this buffer to <paramref name="target"/>.</summary>
    public unsafe void Download<T>(Span<T> target)
        where T : unmanaged
    {
        fixed (T* host = target)
        {
            memory.Download((IntPtr)host, _pointer, (long)target.Length * sizeof(T));
        }
    }

    public void Clear() => memory.Clear(_pointer, bytes);

    public void Dispose()
    {
        if (_pointer != IntPtr.Zero)
        {
            memory.Release(_pointer);
            _pointer = IntPtr.Zero;
        }
    }
}
