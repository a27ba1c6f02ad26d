using System.Text.RegularExpressions;
using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Inference;

/// <summary>
/// The process-wide CPU arena's first block (<c>Inference:ArenaBlockMb</c>), seen in ONNX Runtime's own account of
/// how the arena grew (<c>Inference:LogLevel=verbose</c>) while a Piper voice warms up and speaks several chunks
/// of different lengths, each in its own process (the arena is registered once per process).
/// </summary>
public sealed partial class SharedArenaTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly string _voices = TestVoices.VoicesFolder("en_US-test-x_low");
    private readonly string _wav = Path.Combine(Path.GetTempPath(), $"edgevoice-arena-{Guid.NewGuid():N}.wav");

    public void Dispose()
    {
        Directory.Delete(_voices, recursive: true);
        File.Delete(_wav);
    }

    [Fact]
    public async Task OneBlock_HoldsEveryRun_FromTheWarmUpToTheLastChunk()
    {
        var blocks = await ArenaBlocksAsync("--Inference:ArenaBlockMb=64");

        Assert.Equal([64L << 20], blocks);
    }

    [Fact]
    public async Task WithoutAFirstBlock_OnnxRuntimeStartsWithOneMegabyte()
    {
        var blocks = await ArenaBlocksAsync("--Inference:ArenaBlockMb=0");

        // ONNX Runtime's default: 1 MB first, then blocks as large as asked for or twice the last, whichever is
        // more (the fixture voice's activations fit in the first; a real-size voice took eight, docs/BENCHMARKS.md).
        Assert.NotEmpty(blocks);
        Assert.Equal(1L << 20, blocks[0]);
    }

    [Theory]
    [InlineData("--Inference:ArenaBlockMb=4096", "Inference:ArenaBlockMb must be between 0 (ONNX Runtime's default) and 2047 (got 4096)")]
    [InlineData("--Inference:LogLevel=loud", "Inference:LogLevel is 'loud'; the levels are error, warning, info and verbose.")]
    public async Task ASettingOutOfRange_IsRefusedWithASentence(string setting, string sentence)
    {
        var (code, output) = await DaemonProcess.RunAsync(Patience, "voices", setting);

        Assert.Equal(2, code);
        Assert.Contains(sentence, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(1, 1 << 20)]
    [InlineData(256, 256 << 20)]
    [InlineData(2047, 2047 << 20)]
    public void FirstBlockBytes_AreTheMegabytesAsked_OrOnnxRuntimesDefault(int megabytes, int bytes) =>
        Assert.Equal(bytes, SessionFactory.ArenaFirstBlockBytes(megabytes));

    /// <summary>Speaks a text of several chunks (short and long) with ONNX Runtime's log on; the sizes of the blocks the arena took.</summary>
    private async Task<List<long>> ArenaBlocksAsync(string blockOption)
    {
        const string text = "Yes. Please keep your luggage with you at all times, and report anything left unattended to the staff on the platform. "
            + "Thank you. The next train to the airport leaves from platform four in ten minutes.";
        var (code, output) = await DaemonProcess.RunAsync(
            Patience, "say", text, "--voice", "en_US-test-x_low", "--voices", _voices, "--out", _wav,
            "--Inference:Providers=cpu", "--Inference:LogLevel=verbose", blockOption);

        Assert.True(code == 0, output);
        Assert.True(new FileInfo(_wav).Length > 44, output);
        return [.. Extended().Matches(output).Select(m => long.Parse(m.Groups["bytes"].Value, System.Globalization.CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"Extended allocation by (?<bytes>\d+) bytes")]
    private static partial Regex Extended();
}
