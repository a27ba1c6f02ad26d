using EdgeVoice.Tests.Support;

namespace EdgeVoice.Tests.Integration;

/// <summary>
/// <c>edgevoice serve</c> with a setting that names something unusable: exit code 2 and one sentence
/// naming the key, no stack trace.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"edgevoice-startup-{Guid.NewGuid():N}");

    public StartupFailureTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task AnUnusableSinkFolder_ExitsWith2AndASentenceNamingTheKey()
    {
        var file = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(file, "a file where the WAV folder should be");

        var (code, output) = await DaemonProcess.RunAsync(Patience, "serve", "--sink", $"wav:{Path.Combine(file, "audio")}", "--broker", "mqtt://127.0.0.1:1");

        AssertOneSentence(code, output, "Audio:Sink");
    }

    [Fact]
    public async Task ACertificateFileThatIsNotOne_ExitsWith2AndASentenceNamingTheKey()
    {
        var ca = Path.Combine(_root, "ca.pem");
        await File.WriteAllTextAsync(ca, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");

        var (code, output) = await DaemonProcess.RunAsync(
            Patience, "serve", "--sink", $"wav:{Path.Combine(_root, "wav")}", "--broker", "mqtts://127.0.0.1:1", $"--Mqtt:CaFile={ca}");

        AssertOneSentence(code, output, "Mqtt:CaFile");
    }

    private static void AssertOneSentence(int code, string output, string key)
    {
        Assert.True(code == 2, $"exit code {code}:\n{output}");
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("edgevoice:", StringComparison.Ordinal));
        Assert.Contains(key, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
