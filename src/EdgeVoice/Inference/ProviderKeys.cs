using System.Globalization;

namespace EdgeVoice.Inference;

/// <summary>
/// The one place where typed options become ONNX Runtime's provider option strings
/// (<c>trt_*</c> keys of the TensorRT provider, and the CUDA provider's keys).
/// </summary>
internal static class ProviderKeys
{
    public static Dictionary<string, string> TensorRt(TensorRtOptions options, int deviceId, string engineCacheDirectory, string timingCacheDirectory)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = Number(deviceId),
            ["trt_fp16_enable"] = Flag(options.Fp16),
            ["trt_int8_enable"] = Flag(options.Int8),
            ["trt_engine_cache_enable"] = "1",
            ["trt_engine_cache_path"] = engineCacheDirectory,
            ["trt_timing_cache_enable"] = Flag(options.TimingCache),
            ["trt_max_workspace_size"] = options.WorkspaceBytes.ToString(CultureInfo.InvariantCulture),
            ["trt_builder_optimization_level"] = Number(options.BuilderOptimizationLevel),
        };
        if (options.TimingCache)
        {
            keys["trt_timing_cache_path"] = timingCacheDirectory;
        }

        if (options.Int8)
        {
            keys["trt_int8_calibration_table_name"] = options.Int8CalibrationTable!;
            keys["trt_int8_use_native_calibration_table"] = Flag(options.Int8UseNativeCalibrationTable);
        }

        if (options.DlaCore is { } core)
        {
            keys["trt_dla_enable"] = "1";
            keys["trt_dla_core"] = Number(core);
        }

        if (!string.IsNullOrWhiteSpace(options.ProfileMinShapes))
        {
            keys["trt_profile_min_shapes"] = options.ProfileMinShapes;
            keys["trt_profile_opt_shapes"] = options.ProfileOptShapes!;
            keys["trt_profile_max_shapes"] = options.ProfileMaxShapes!;
        }

        if (options.DumpEpContext)
        {
            keys["trt_dump_ep_context_model"] = "1";
            keys["trt_ep_context_file_path"] = engineCacheDirectory;
        }

        return keys;
    }

    public static Dictionary<string, string> Cuda(int deviceId) => new(StringComparer.Ordinal)
    {
        ["device_id"] = Number(deviceId),
        // Exhaustive search re-runs for every new input length; speech inputs change length every call.
        ["cudnn_conv_algo_search"] = "HEURISTIC",
    };

    private static string Flag(bool value) => value ? "1" : "0";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
