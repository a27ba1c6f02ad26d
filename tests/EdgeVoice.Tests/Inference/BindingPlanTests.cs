using EdgeVoice.Inference;

namespace EdgeVoice.Tests.Inference;

public sealed class BindingPlanTests
{
    private static readonly string[] StepTensors =
        ["k_cache", "v_cache", "k_cache_new", "v_cache_new", "samples", "x_len", "y_len", "idx", "topk_values", "topk_indices"];

    [Fact]
    public void OnTheCpu_EveryStepTensorIsHostMemory_AndNothingCrosses()
    {
        var plan = BindingPlan.For(ExecutionProvider.Cpu);
        Assert.False(plan.Staged);
        Assert.All(StepTensors, t => Assert.Equal(TensorHome.Host, plan.HomeOf(t)));
        Assert.Equal(0, plan.BytesPerStep(50));
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("tensorrt")]
    public void OnAGpu_CachesAndStepInputsStayOnTheDevice_OnlyTheTopKComesBack(string provider)
    {
        Assert.True(ExecutionProviders.TryParse(provider, out var parsed));
        var plan = BindingPlan.For(parsed);
        Assert.True(plan.Staged);
        foreach (var tensor in new[] { "k_cache", "v_cache", "k_cache_new", "v_cache_new", "samples", "x_len", "y_len", "idx" })
        {
            Assert.Equal(TensorHome.Device, plan.HomeOf(tensor));
        }

        Assert.Equal(TensorHome.Host, plan.HomeOf("topk_values"));
        Assert.Equal(TensorHome.Host, plan.HomeOf("topk_indices"));
        // Four int64 step inputs up; 50 float values and 50 int64 indices back.
        Assert.Equal((4 * 8) + (50 * (4 + 8)), plan.BytesPerStep(50));
        Assert.Contains("k_cache=device", plan.ToString(), StringComparison.Ordinal);
        Assert.Contains("topk_indices=host", plan.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ATensorTheStepDoesNotHave_IsAnError()
    {
        Assert.Throws<ArgumentException>(() => BindingPlan.For(ExecutionProvider.Cuda).HomeOf("logits"));
    }

    [Fact]
    public void ProviderReason_NamesTheLibraryAndWhatItLacked()
    {
        const string message = "[ErrorCode:Fail] /onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 onnxruntime::Provider& " +
            "onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library /opt/edgevoice/libonnxruntime_providers_cuda.so " +
            "with error: libcudart.so.13: cannot open shared object file: No such file or directory\n";
        Assert.Equal(
            "libonnxruntime_providers_cuda.so cannot be loaded: libcudart.so.13: cannot open shared object file: No such file or directory",
            SessionFactory.Reason(message));
        Assert.Equal("Load model failed", SessionFactory.Reason("[ErrorCode:Fail] x.cc:1 f() [ONNXRuntimeError] : 1 : FAIL : Load model failed"));
        Assert.Equal("plain text", SessionFactory.Reason("plain text"));
    }

    [Fact]
    public void HostStagedMemory_RoundTripsThroughUploadAndDownload()
    {
        using var memory = TensorMemory.HostStaged();
        using var buffer = memory.Allocate(4 * sizeof(long));
        buffer.Upload<long>([1, 2, 3, 4]);
        var back = new long[4];
        buffer.Download<long>(back);
        Assert.Equal([1L, 2, 3, 4], back);
        buffer.Clear();
        buffer.Download<long>(back);
        Assert.Equal([0L, 0, 0, 0], back);
    }
}
