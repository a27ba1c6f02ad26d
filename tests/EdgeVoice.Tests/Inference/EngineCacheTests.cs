using EdgeVoice.Inference;

namespace EdgeVoice.Tests.Inference;

public sealed class EngineCacheTests : IDisposable
{
    private static readonly EngineKey Key = new("ab12", "1.31.1", "10.3.0", "NVIDIA Jetson AGX Orin", "trt_fp16_enable=1");
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"edgevoice-engines-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData("model")]
    [InlineData("onnxruntime")]
    [InlineData("tensorrt")]
    [InlineData("gpu")]
    [InlineData("options")]
    public void DirectoryFor_AnythingTheEngineDependsOnChanges_GivesAnotherFolder(string part)
    {
        var changed = part switch
        {
            "model" => Key with { ModelSha256 = "cd34" },
            "onnxruntime" => Key with { OnnxRuntimeVersion = "1.32.0" },
            "tensorrt" => Key with { TensorRtVersion = "10.7.0" },
            "gpu" => Key with { Gpu = "NVIDIA Jetson Orin Nano" },
            _ => Key with { Options = "trt_fp16_enable=0" },
        };

        var before = EngineCache.DirectoryFor(_root, "/voices/x.onnx", Key);
        var after = EngineCache.DirectoryFor(_root, "/voices/x.onnx", changed);

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void DirectoryFor_SameKey_SameFolder_NamedAfterTheModel_WithItsKeyWrittenDown()
    {
        var first = EngineCache.DirectoryFor(_root, "/voices/en_US-amy.onnx", Key);
        var second = EngineCache.DirectoryFor(_root, "/voices/en_US-amy.onnx", Key);

        Assert.Equal(first, second);
        Assert.StartsWith("en_US-amy-", Path.GetFileName(first), StringComparison.Ordinal);
        var written = File.ReadAllText(Path.Combine(first, "key.txt"));
        Assert.Contains("tensorrt: 10.3.0", written, StringComparison.Ordinal);
        Assert.Contains("gpu: NVIDIA Jetson AGX Orin", written, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsText_LeavesOutPathsAndIsOrdered()
    {
        var keys = ProviderKeys.TensorRt(new TensorRtOptions(), 0, "/a", "/b");

        var text = EngineKey.OptionsText(keys);

        Assert.DoesNotContain("/a", text, StringComparison.Ordinal);
        Assert.StartsWith("device_id=0;trt_builder_optimization_level=3;", text, StringComparison.Ordinal);
        Assert.Equal(text, EngineKey.OptionsText(ProviderKeys.TensorRt(new TensorRtOptions(), 0, "/elsewhere", "/other")));
    }

    [Fact]
    public void Sha256Of_IsTheFilesHash()
    {
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "m.onnx");
        File.WriteAllText(file, "abc");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", EngineCache.Sha256Of(file));
    }
}
