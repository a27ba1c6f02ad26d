using System.Diagnostics;
using System.Text.Json;
using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Cli;

/// <summary>The <c>edgevoice</c> executable as a user runs it: a separate process, its output and its exit code.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"edgevoice-cli-{Guid.NewGuid():N}");

    public CommandLineTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Text_PrintsOneJsonChunkALine()
    {
        var (code, stdout, _) = await RunAsync("text", "Hello world. 今天天气很好。How are you?");

        Assert.Equal(0, code);
        var chunks = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["Hello world.", "今天天气很好。", "How are you?"], chunks.Select(c => c.GetProperty("text").GetString()));
        Assert.Equal("sentence", chunks[0].GetProperty("boundary").GetString());
        Assert.Equal(13, chunks[1].GetProperty("source_start").GetInt32());
    }

    [Fact]
    public async Task Text_ReadsStandardInputAndHonoursTheChunkLimit()
    {
        var (code, stdout, _) = await RunAsync(["text", "--Text:MaxChunkChars=12"], stdin: "alpha beta gamma delta");

        Assert.Equal(0, code);
        Assert.Equal(2, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Say_Out_WritesAWavFileOfSpeech()
    {
        var wav = Path.Combine(_folder, "hello.wav");

        var (code, _, stderr) = await RunAsync("say", "Hello from the command line.", "--out", wav);

        Assert.Equal(0, code);
        Assert.Contains("real-time factor", stderr, StringComparison.Ordinal);
        var bytes = await File.ReadAllBytesAsync(wav);
        var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes.AsSpan(44)).ToArray();
        Speech.AssertPlausible(samples, 22050, words: 5);
    }

    [Fact]
    public async Task Say_WithAnInstalledPiperVoice_WritesItsAudio()
    {
        var voices = TestVoices.VoicesFolder("en_US-test-x_low");
        var wav = Path.Combine(_folder, "piper.wav");

        var (code, _, stderr) = await RunAsync("say", "Hello world.", "--voice", "en_US-test-x_low", "--voices", voices, "--out", wav);

        Assert.True(code == 0, stderr);
        var bytes = await File.ReadAllBytesAsync(wav);
        Assert.Equal(16000, BitConverter.ToInt32(bytes, 24));
        Assert.Equal((31 * 64) + 3200, (bytes.Length - 44) / 2); // 31 ids of 64 samples, then 0.2 s of sentence silence
        Directory.Delete(voices, recursive: true);
    }

    [Fact]
    public async Task Say_UnknownVoice_ExitsWithUsageErrorAndASentence()
    {
        var (code, _, stderr) = await RunAsync("say", "Hi", "--voice", "robot", "--out", Path.Combine(_folder, "x.wav"));

        Assert.Equal(2, code);
        Assert.Contains("no voice named 'robot'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Text:MaxChunkChars=3", "Text:MaxChunkChars must be between")]
    [InlineData("--Mqtt:Brokr=mqtt://x", "'Brokr'")]
    [InlineData("--sink=speaker", "Audio:Sink 'speaker' is not a sink")]
    [InlineData("--broker=http://x:80", "Mqtt:Broker")]
    public async Task Serve_BadConfiguration_ExitsWithUsageErrorNamingTheKey(string argument, string expected)
    {
        var (code, _, stderr) = await RunAsync("serve", argument);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Voices_Json_ListsEachVoiceWithProviderAndTimings_AndTheDefaultIsTheInstalledOne()
    {
        var voices = TestVoices.VoicesFolder("en_US-test-x_low");

        var (code, stdout, _) = await RunAsync("voices", "--voices", voices, "--json");

        Assert.Equal(0, code);
        var list = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal("piper", list["en_US-test-x_low"].GetProperty("engine").GetString());
        Assert.Equal("cpu", list["en_US-test-x_low"].GetProperty("provider").GetString());
        Assert.Equal(16000, list["en_US-test-x_low"].GetProperty("sample_rate").GetInt32());
        Assert.True(list["en_US-test-x_low"].GetProperty("warm_up_ms").GetDouble() > 0);
        Assert.Equal("espeak", list["espeak"].GetProperty("engine").GetString());

        var (_, table, _) = await RunAsync("voices", "--voices", voices);
        Assert.Contains("* default voice: en_US-test-x_low", table, StringComparison.Ordinal);
        Directory.Delete(voices, recursive: true);
    }

    [Fact]
    public async Task Voices_BrokenVoice_IsListedWithItsProblemAndTheExitCodeIsOne()
    {
        var voices = TestVoices.VoicesFolder("en_US-test-x_low");
        var config = Path.Combine(voices, "en_US-test-x_low.onnx.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"sample_rate\": 16000", "\"sample_rate\": \"high\"", StringComparison.Ordinal));

        var (code, stdout, _) = await RunAsync("voices", "--voices", voices);

        Assert.Equal(1, code);
        Assert.Contains("BROKEN en_US-test-x_low:", stdout, StringComparison.Ordinal);
        Assert.Contains("'audio.sample_rate' is missing or not a whole number", stdout, StringComparison.Ordinal);
        Directory.Delete(voices, recursive: true);
    }

    [Fact]
    public async Task Engines_Calibrate_WritesSamplesForTheVoicesModel_AndRefusesAMissingTextFile()
    {
        var voices = TestVoices.VoicesFolder("en_US-test-x_low");
        try
        {
            var texts = Path.Combine(_folder, "texts.txt");
            File.WriteAllLines(texts, ["Good morning.", "The train leaves at nine."]);
            var output = Path.Combine(_folder, "samples");
            var (code, stdout, stderr) = await RunAsync("engines", "calibrate", "--voice", "en_US-test-x_low", "--voices", voices, "--texts", texts, "--out", output);

            Assert.True(code == 0, stderr);
            Assert.Contains("en_US-test-x_low.onnx: 2 samples in ", stdout, StringComparison.Ordinal);
            Assert.Contains("tensorrt/build-int8.sh ", stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(output, "en_US-test-x_low", "0001", "input.npy")));

            var missing = await RunAsync("engines", "calibrate", "--voice", "en_US-test-x_low", "--voices", voices, "--texts", Path.Combine(_folder, "none.txt"), "--out", output);
            Assert.Equal(2, missing.Code);
            Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(voices, recursive: true);
        }
    }

    [Fact]
    public async Task Engines_CheckAndBuild_OnAMachineWithoutTensorRt_SayWhatIsMissingAndExitOne()
    {
        var voices = TestVoices.VoicesFolder("en_US-test-x_low");
        var cache = Path.Combine(_folder, "engines");
        try
        {
            var check = await RunAsync("engines", "check", "--voices", voices, $"--Inference:TensorRt:EngineCacheDirectory={cache}");
            Assert.Equal(1, check.Code);
            Assert.Contains("missing", check.Stdout, StringComparison.Ordinal);
            Assert.Contains("0 of 1 model(s) have an engine", check.Stdout, StringComparison.Ordinal);

            var build = await RunAsync("engines", "build", "--voices", voices, $"--Inference:TensorRt:EngineCacheDirectory={cache}");
            Assert.Equal(1, build.Code);
            Assert.Contains("cannot build engines: this ONNX Runtime build has no TensorRT execution provider", build.Stderr, StringComparison.Ordinal);

            Directory.CreateDirectory(Path.Combine(cache, "gone-0123456789abcdef"));
            File.WriteAllText(Path.Combine(cache, "gone-0123456789abcdef", "key.txt"), "");
            var prune = await RunAsync("engines", "prune", "--voices", voices, $"--Inference:TensorRt:EngineCacheDirectory={cache}");
            Assert.Equal(0, prune.Code);
            Assert.Contains("1 stale engine folder(s)", prune.Stdout, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(cache, "gone-0123456789abcdef")));
        }
        finally
        {
            Directory.Delete(voices, recursive: true);
        }
    }

    [Fact]
    public async Task EnginesProfile_PrintsTheSettingsAndTrtexec_AndRefusesANonModel()
    {
        var good = await RunAsync("engines", "profile", TestVoices.PiperModel("en_US-test-x_low"), "--max", "256");
        Assert.Equal(0, good.Code);
        Assert.Contains("Inference:TensorRt:ProfileMaxShapes=input:1x256,input_lengths:1,scales:3", good.Stdout, StringComparison.Ordinal);
        Assert.Contains("trtexec --onnx=", good.Stdout, StringComparison.Ordinal);

        var junk = Path.Combine(_folder, "junk.onnx");
        await File.WriteAllTextAsync(junk, "not a model");
        var bad = await RunAsync("engines", "profile", junk);
        Assert.Equal(1, bad.Code);
        Assert.Contains("is not a model ONNX Runtime can read", bad.Stderr, StringComparison.Ordinal);

        var missing = await RunAsync("engines", "profile", Path.Combine(_folder, "none.onnx"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFlag_ExitsWithUsageErrorAndAHint()
    {
        var (code, _, stderr) = await RunAsync("serve", "--brokr", "mqtt://x");

        Assert.Equal(2, code);
        Assert.Contains("--brokr", stderr, StringComparison.Ordinal);
        Assert.Contains("edgevoice --help", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Mqtt:Broker=mqtt://x", true)]
    [InlineData("--Audio:WavDirectory=/tmp/a:b", true)]
    [InlineData("--broker=mqtt://x:1883", false)]
    [InlineData("--sink", false)]
    [InlineData("hello: world=1", false)]
    public void IsSetting_RecognisesSectionKeyValueArguments(string argument, bool expected) =>
        Assert.Equal(expected, EdgeVoice.Cli.CommandLine.IsSetting(argument));

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, string? stdin)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "edgevoice.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["Audio__Sink"] = "wav:" + Path.Combine(Path.GetTempPath(), "edgevoice-cli-wav");
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
