using EdgeVoice.Inference;

namespace EdgeVoice.Tests.Inference;

public sealed class ProviderKeysTests
{
    private static Dictionary<string, string> Map(TensorRtOptions options) => ProviderKeys.TensorRt(options, deviceId: 1, "/cache/engines/x", "/cache/timing");

    [Fact]
    public void TensorRt_Defaults_MapToTheseKeysExactly()
    {
        var keys = Map(new TensorRtOptions());

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["device_id"] = "1",
                ["trt_fp16_enable"] = "1",
                ["trt_int8_enable"] = "0",
                ["trt_engine_cache_enable"] = "1",
                ["trt_engine_cache_path"] = "/cache/engines/x",
                ["trt_timing_cache_enable"] = "1",
                ["trt_timing_cache_path"] = "/cache/timing",
                ["trt_max_workspace_size"] = "1073741824",
                ["trt_builder_optimization_level"] = "3",
            },
            keys);
    }

    [Fact]
    public void TensorRt_Fp16Off_IsZero() => Assert.Equal("0", Map(new TensorRtOptions { Fp16 = false })["trt_fp16_enable"]);

    [Fact]
    public void TensorRt_Int8_AddsTheCalibrationTable()
    {
        var keys = Map(new TensorRtOptions { Int8 = true, Int8CalibrationTable = "calib.flatbuffers", Int8UseNativeCalibrationTable = true });

        Assert.Equal("1", keys["trt_int8_enable"]);
        Assert.Equal("calib.flatbuffers", keys["trt_int8_calibration_table_name"]);
        Assert.Equal("1", keys["trt_int8_use_native_calibration_table"]);
    }

    [Fact]
    public void TensorRt_TimingCacheOff_HasNoTimingPath()
    {
        var keys = Map(new TensorRtOptions { TimingCache = false });

        Assert.Equal("0", keys["trt_timing_cache_enable"]);
        Assert.False(keys.ContainsKey("trt_timing_cache_path"));
    }

    [Fact]
    public void TensorRt_WorkspaceAndOptimisationLevel()
    {
        var keys = Map(new TensorRtOptions { WorkspaceBytes = 3L << 30, BuilderOptimizationLevel = 5 });

        Assert.Equal("3221225472", keys["trt_max_workspace_size"]);
        Assert.Equal("5", keys["trt_builder_optimization_level"]);
    }

    [Fact]
    public void TensorRt_DlaCore_EnablesTheDla()
    {
        var keys = Map(new TensorRtOptions { DlaCore = 1 });

        Assert.Equal("1", keys["trt_dla_enable"]);
        Assert.Equal("1", keys["trt_dla_core"]);
        Assert.False(Map(new TensorRtOptions()).ContainsKey("trt_dla_enable"));
    }

    [Fact]
    public void TensorRt_ShapeProfiles_AreCopiedAsWritten()
    {
        var keys = Map(new TensorRtOptions
        {
            ProfileMinShapes = "input:1x1,input_lengths:1",
            ProfileOptShapes = "input:1x200,input_lengths:1",
            ProfileMaxShapes = "input:1x600,input_lengths:1",
        });

        Assert.Equal("input:1x1,input_lengths:1", keys["trt_profile_min_shapes"]);
        Assert.Equal("input:1x200,input_lengths:1", keys["trt_profile_opt_shapes"]);
        Assert.Equal("input:1x600,input_lengths:1", keys["trt_profile_max_shapes"]);
    }

    [Fact]
    public void TensorRt_EpContextDump_WritesBesideTheEngines()
    {
        var keys = Map(new TensorRtOptions { DumpEpContext = true });

        Assert.Equal("1", keys["trt_dump_ep_context_model"]);
        Assert.Equal("/cache/engines/x", keys["trt_ep_context_file_path"]);
    }

    [Fact]
    public void Cuda_DeviceAndHeuristicSearch() =>
        Assert.Equal(new Dictionary<string, string> { ["device_id"] = "2", ["cudnn_conv_algo_search"] = "HEURISTIC" }, ProviderKeys.Cuda(2));
}
