using System.Globalization;
using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using EdgeVoice.Voices.GptSoVits;

namespace EdgeVoice.Tests.Gpu;

/// <summary>Checks that need an NVIDIA GPU (scripts/check-gpu.sh runs them); skipped elsewhere.</summary>
[Trait("Category", "Gpu")]
public sealed class CudaTests : IDisposable
{
    private readonly GptSoVitsFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [GpuFact]
    public void APiperVoice_LoadsOnCuda()
    {
        using var session = TestVoices.Sessions("cuda,cpu").Create(TestVoices.PiperModel("en_US-test-x_low"));
        Assert.Equal(ExecutionProvider.Cuda, session.Provider);
        Assert.Empty(session.Fallbacks);
    }

    [GpuFact]
    public void TensorRt_FallsBackToCuda_WithTheLoadersReason_WhenItIsNotInstalled()
    {
        using var session = TestVoices.Sessions("tensorrt,cuda,cpu").Create(TestVoices.PiperModel("en_US-test-x_low"));
        if (Accelerator.TensorRtVersion is not null)
        {
            Assert.Equal(ExecutionProvider.TensorRt, session.Provider);
            return;
        }

        Assert.Equal(ExecutionProvider.Cuda, session.Provider);
        var fallback = Assert.Single(session.Fallbacks);
        Assert.StartsWith("tensorrt: libonnxruntime_providers_tensorrt.so cannot be loaded: lib", fallback, StringComparison.Ordinal);
    }

    [GpuFact]
    public void TheGptSoVitsStep_KeepsItsCachesOnTheDevice_AndMakesTheCpusTokens()
    {
        const string buckets = "60,70,80,90,100,110,120,4096";
        var options = new GptSoVitsOptions { TopK = 1, Seed = 1, CacheBuckets = buckets };
        using var cpuBundle = GptSoVitsBundle.Open(_fixture.Bundle, TestVoices.Sessions("cpu"));
        using var cpu = new SemanticDecoder(cpuBundle, options);
        var (expected, _) = StagedDecoderTests.Decode(cpu);

        using var cudaBundle = GptSoVitsBundle.Open(_fixture.Bundle, TestVoices.Sessions("cuda"));
        using var cuda = new SemanticDecoder(cudaBundle, options);
        Assert.Equal(TensorHome.Device, cuda.Plan.Device);
        Assert.True(cuda.CacheStaged);
        var (tokens, report) = StagedDecoderTests.Decode(cuda);
        Assert.Equal(expected, tokens);

        // Figures for scripts/check-gpu.sh's report.
        if (Environment.GetEnvironmentVariable("EDGEVOICE_GPU_REPORT") is { Length: > 0 } file)
        {
            File.AppendAllText(file, string.Create(CultureInfo.InvariantCulture,
                $"fixture gpt_step on cuda: {report.Steps} steps, {report.StepTime.TotalMilliseconds / report.Steps:F3} ms/step, " +
                $"host {report.HostTime.TotalMilliseconds / report.Steps:F3} ms/step, {cuda.Plan.BytesPerStep(50)} bytes/step across; {cuda.Plan}\n"));
        }
    }
}
