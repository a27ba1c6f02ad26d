using System.Buffers.Binary;
using System.Runtime.InteropServices;
using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Inference;

/// <summary>The session factory on this machine's real ONNX Runtime (the CPU build: no TensorRT, no CUDA).</summary>
public sealed class SessionFactoryTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"edgevoice-inference-{Guid.NewGuid():N}");

    public SessionFactoryTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Create_TensorRtFirstOnAMachineWithout_EndsOnCpuWithTheReasonsRecorded()
    {
        using var session = TestVoices.Sessions("tensorrt,cuda,cpu").Create(TestVoices.PiperModel("en_US-test-x_low"));

        Assert.Equal(ExecutionProvider.Cpu, session.Provider);
        Assert.Equal(2, session.Fallbacks.Count);
        Assert.StartsWith("tensorrt: ", session.Fallbacks[0], StringComparison.Ordinal);
        Assert.Contains("not in this ONNX Runtime build", session.Fallbacks[0], StringComparison.Ordinal);
        Assert.StartsWith("cuda: ", session.Fallbacks[1], StringComparison.Ordinal);
        Assert.Equal(["input", "input_lengths", "scales"], session.InputNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Create_OnlyTensorRtOnAMachineWithout_FailsNamingTheModelAndTheReason()
    {
        var model = TestVoices.PiperModel("en_US-test-x_low");

        var error = Assert.Throws<InferenceUnavailableException>(() => TestVoices.Sessions("tensorrt").Create(model));

        Assert.Contains(model, error.Message, StringComparison.Ordinal);
        Assert.Contains("tensorrt:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MissingModel_IsAClearError()
    {
        var error = Assert.Throws<InferenceUnavailableException>(() => TestVoices.Sessions().Create(Path.Combine(_folder, "none.onnx")));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CorruptModel_IsAClearErrorNotACrash()
    {
        var model = Path.Combine(_folder, "broken.onnx");
        File.WriteAllBytes(model, [1, 2, 3, 4, 5, 6, 7, 8]);

        var error = Assert.Throws<InferenceUnavailableException>(() => TestVoices.Sessions().Create(model));

        Assert.Contains("cpu:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeLibrary_Missing_IsAClearError()
    {
        var error = Assert.Throws<InferenceUnavailableException>(() => NativeRuntime.Check(Path.Combine(_folder, "libonnxruntime.so")));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeLibrary_NotAnElfFile_IsAClearError()
    {
        var path = Path.Combine(_folder, "libonnxruntime.so");
        File.WriteAllText(path, "#!/bin/sh\necho not a library\n");

        var error = Assert.Throws<InferenceUnavailableException>(() => NativeRuntime.Check(path));

        Assert.Contains("not a Linux shared library", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeLibrary_OfAnotherArchitecture_SaysWhichItIs()
    {
        var path = Path.Combine(_folder, "libonnxruntime.so");
        var header = new byte[64];
        header[0] = 0x7F;
        "ELF"u8.CopyTo(header.AsSpan(1));
        header[4] = 2;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(18), RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? (ushort)62 : (ushort)183);
        File.WriteAllBytes(path, header);

        var error = Assert.Throws<InferenceUnavailableException>(() => NativeRuntime.Check(path));

        Assert.Contains("is built for", error.Message, StringComparison.Ordinal);
        Assert.Contains(RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "x86-64" : "aarch64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeLibrary_ThePackagesOwnBuild_PassesTheCheck()
    {
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var library = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", "libonnxruntime.so");

        NativeRuntime.Check(library);
    }

    [Theory]
    [InlineData("cpu,gpu", "'gpu'")]
    [InlineData("", "at least one")]
    [InlineData("cpu", null)]
    public void Validate_Providers(string providers, string? error)
    {
        var result = new InferenceOptionsValidator().Validate(null, new InferenceOptions { Providers = providers });

        if (error is null)
        {
            Assert.True(result.Succeeded);
        }
        else
        {
            Assert.Contains(result.Failures!, f => f.Contains(error, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_Int8WithoutTable_AndHalfAProfile_AreRefused()
    {
        var options = new InferenceOptions { TensorRt = new TensorRtOptions { Int8 = true, ProfileMinShapes = "input:1x1" } };

        var failures = new InferenceOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("Int8CalibrationTable", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("go together", StringComparison.Ordinal));
    }
}
