using System.Diagnostics;
using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using EdgeVoice.Text;
using EdgeVoice.Tools.Calibration;
using EdgeVoice.Voices.Piper;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Tools;

/// <summary>
/// INT8 calibration samples made through a voice's frontend, and the tensorrt/ build scripts. TensorRT,
/// trtexec and Polygraphy cannot run here: the scripts are run with stand-ins that record the command
/// they were given, which is what the scripts themselves decide.
/// </summary>
public sealed class CalibrationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"edgevoice-calib-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static TextPlanner Planner => new(Options.Create(new TextOptions()));

    [Fact]
    public void PiperSamples_AreTheModelsInputs_OneFolderPerChunk()
    {
        using var voice = PiperVoice.Load("test", TestVoices.PiperModel("en_US-test-x_low"), TestVoices.PiperModel("en_US-test-x_low") + ".json", TestVoices.Sessions(), TestVoices.Espeak, 0.2);
        var written = Assert.Single(CalibrationData.Write(voice, ["Good morning. How are you?", "", "The train leaves at ten."], Planner, _folder, maxSamples: 100));

        Assert.Equal(3, written.Samples); // three sentences, three chunks
        var ids = Npy.Read(Path.Combine(written.Folder, "0001", "input.npy"));
        Assert.Equal(("<i8", 1L), (ids.Descr, ids.Shape[0]));
        Assert.Equal(voice.Prepare(new TextChunk(1, "How are you?", 0, 12, ChunkBoundary.Sentence))!.Ids, ids.As<long>());
        Assert.Equal([ids.Shape[1]], Npy.Read(Path.Combine(written.Folder, "0001", "input_lengths.npy")).As<long>());
        Assert.Equal([3L], Npy.Read(Path.Combine(written.Folder, "0001", "scales.npy")).Shape);
        Assert.False(File.Exists(Path.Combine(written.Folder, "0001", "sid.npy")));
    }

    [Fact]
    public void GptSoVitsSamples_CoverTheEncoderAndTheDecoder_WithTheChunksTokens()
    {
        using var fixture = new GptSoVitsFixture();
        using var voice = GptSoVitsFixture.Load(fixture.Enroll());
        var written = CalibrationData.Write(voice, ["Good morning, everyone."], Planner, _folder, maxSamples: 10);

        Assert.Equal(["gpt_encoder", "sovits"], written.Select(w => Path.GetFileName(w.Folder)).Order());
        var sovits = written.Single(w => w.Folder.EndsWith("sovits", StringComparison.Ordinal));
        var tokens = Npy.Read(Path.Combine(sovits.Folder, "0000", "pred_semantic.npy"));
        Assert.Equal(voice.LastTokens, tokens.As<long>());
        var encoder = written.Single(w => w.Folder.EndsWith("gpt_encoder", StringComparison.Ordinal));
        var phones = Npy.Read(Path.Combine(encoder.Folder, "0000", "phoneme_ids.npy")).Shape[1];
        Assert.Equal([1L, 1024, phones], Npy.Read(Path.Combine(encoder.Folder, "0000", "bert_feature.npy")).Shape);
    }

    [Fact]
    public void BuildFp16_RunsTrtexecWithTheModelsShapeProfiles()
    {
        var model = TestVoices.PiperModel("en_US-test-x_low");
        var recorded = Path.Combine(_folder, "trtexec.args");
        var trtexec = StandIn("trtexec", recorded);
        var (code, output) = Run("build-fp16.sh", [model, Path.Combine(_folder, "voice.engine"), "--opt", "64", "--max", "256"], ("TRTEXEC", trtexec));

        Assert.True(code == 0, output);
        var args = File.ReadAllText(recorded);
        Assert.Contains($"--onnx={model}", args, StringComparison.Ordinal);
        Assert.Contains($"--saveEngine={Path.Combine(_folder, "voice.engine")}", args, StringComparison.Ordinal);
        Assert.Contains("--minShapes=input:1x1,input_lengths:1,scales:3", args, StringComparison.Ordinal);
        Assert.Contains("--optShapes=input:1x64,", args, StringComparison.Ordinal);
        Assert.Contains("--maxShapes=input:1x256,", args, StringComparison.Ordinal);
        Assert.Contains("--fp16", args, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildInt8_CalibratesOnTheSamplesWithPolygraphy()
    {
        var model = TestVoices.PiperModel("en_US-test-x_low");
        var samples = Path.Combine(_folder, "samples");
        Directory.CreateDirectory(samples);
        var recorded = Path.Combine(_folder, "polygraphy.args");
        StandIn("polygraphy", recorded);
        var (code, output) = Run("build-int8.sh", [model, samples, Path.Combine(_folder, "voice.int8.engine")], ("PATH", $"{_folder}:{Environment.GetEnvironmentVariable("PATH")}"));

        Assert.True(code == 0, output);
        var args = File.ReadAllText(recorded);
        Assert.StartsWith($"convert {model} --int8 --fp16 --data-loader-script ", args, StringComparison.Ordinal);
        Assert.Contains("samples_loader.py --calibration-cache " + Path.Combine(_folder, "voice.int8.calibration.cache"), args, StringComparison.Ordinal);
        Assert.Contains("--trt-min-shapes input:[1,1] input_lengths:[1] scales:[3]", args, StringComparison.Ordinal);
        Assert.Contains("--trt-max-shapes input:[1,512]", args, StringComparison.Ordinal);
        Assert.Contains($"EDGEVOICE_CALIBRATION_SAMPLES={samples}", args, StringComparison.Ordinal);
    }

    /// <summary>An executable that writes its arguments (and the samples variable) to <paramref name="recorded"/>.</summary>
    private string StandIn(string name, string recorded)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, $"#!/bin/sh\necho \"$*\" > '{recorded}'\necho \"EDGEVOICE_CALIBRATION_SAMPLES=$EDGEVOICE_CALIBRATION_SAMPLES\" >> '{recorded}'\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    private static (int Code, string Output) Run(string script, string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tensorrt", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["EDGEVOICE"] = Path.Combine(AppContext.BaseDirectory, "edgevoice");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + errors);
    }
}
