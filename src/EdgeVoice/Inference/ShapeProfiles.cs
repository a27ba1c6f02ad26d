using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Inference;

/// <summary>
/// TensorRT shape profiles for a model with dynamic dimensions, read from the model itself: the first
/// (batch) dimension, and any named <c>one</c> or <c>batch_size</c>, is always 1; every other dynamic dimension runs from 1 through <c>opt</c> to
/// <c>max</c>; fixed dimensions stay as they are. The text form is the one ONNX Runtime's
/// <c>trt_profile_*_shapes</c> keys and <c>trtexec --minShapes</c> share: <c>input:1x1,input_lengths:1</c>.
/// </summary>
internal sealed record ShapeProfiles(string Min, string Opt, string Max)
{
    /// <summary>
    /// Phoneme ids of the longest chunk, with room: a 100-character chunk makes about 200 ids (Piper
    /// puts a pad between phonemes); 512 leaves a margin for scripts that spell out more.
    /// </summary>
    public const int DefaultMax = 512;

    public const int DefaultOpt = 128;

    public static ShapeProfiles For(string modelPath, int opt = DefaultOpt, int max = DefaultMax)
    {
        if (opt < 1 || max < opt)
        {
            throw new ArgumentOutOfRangeException(nameof(opt), "need 1 <= opt <= max");
        }

        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(modelPath, options);
        var inputs = session.InputMetadata.Where(i => i.Value.IsTensor).ToList();
        return new ShapeProfiles(Text(inputs, 1), Text(inputs, opt), Text(inputs, max));
    }

    private static string Text(List<KeyValuePair<string, NodeMetadata>> inputs, int length) =>
        string.Join(',', inputs.Select(input => input.Key + ":" + string.Join('x', input.Value.Dimensions.Select((d, axis) =>
            (d >= 0 ? d : axis == 0 || IsUnit(input.Value.SymbolicDimensions, axis) ? 1 : length).ToString(CultureInfo.InvariantCulture)))));

    /// <summary>
    /// A dynamic dimension whose name says it is always 1: exporters name fixed batch and singleton axes
    /// (<c>batch_size</c>, <c>one</c>) instead of writing 1.
    /// </summary>
    public static bool IsUnit(string[] names, int axis) =>
        axis < names.Length && names[axis] is "one" or "batch_size" or "batch" or "1";

    /// <summary>A <c>trtexec</c> command that builds the same kind of engine outside EdgeVoice.</summary>
    public string TrtexecCommand(string modelPath, string enginePath, bool fp16, bool int8, string? calibrationTable) =>
        $"trtexec --onnx={modelPath} --saveEngine={enginePath} --minShapes={Min} --optShapes={Opt} --maxShapes={Max}" +
        (fp16 ? " --fp16" : "") + (int8 ? " --int8" + (calibrationTable is { Length: > 0 } ? $" --calib={calibrationTable}" : "") : "");
}
