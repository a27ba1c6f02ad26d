using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Inference;

/// <summary>TensorRT shape profiles read from real Piper-format models.</summary>
public sealed class ShapeProfilesTests
{
    [Fact]
    public void SingleSpeaker_PhonemeAxisRuns1ToOptToMax_FixedInputsStay()
    {
        var shapes = ShapeProfiles.For(TestVoices.PiperModel("en_US-test-x_low"), opt: 100, max: 300);

        Assert.Equal("input:1x1,input_lengths:1,scales:3", shapes.Min);
        Assert.Equal("input:1x100,input_lengths:1,scales:3", shapes.Opt);
        Assert.Equal("input:1x300,input_lengths:1,scales:3", shapes.Max);
    }

    [Fact]
    public void MultiSpeaker_IncludesTheSpeakerId()
    {
        var shapes = ShapeProfiles.For(TestVoices.PiperModel("en_US-multi-x_low"));

        Assert.Equal($"input:1x{ShapeProfiles.DefaultMax},input_lengths:1,scales:3,sid:1", shapes.Max);
    }

    [Fact]
    public void TrtexecCommand_CarriesTheProfilesAndPrecision()
    {
        var shapes = new ShapeProfiles("input:1x1", "input:1x128", "input:1x512");

        var command = shapes.TrtexecCommand("v.onnx", "v.engine", fp16: true, int8: true, calibrationTable: "v.calib");

        Assert.Equal("trtexec --onnx=v.onnx --saveEngine=v.engine --minShapes=input:1x1 --optShapes=input:1x128 --maxShapes=input:1x512 --fp16 --int8 --calib=v.calib", command);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(20, 10)]
    public void BadLengths_AreRefused(int opt, int max) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapeProfiles.For(TestVoices.PiperModel("en_US-test-x_low"), opt, max));
}
