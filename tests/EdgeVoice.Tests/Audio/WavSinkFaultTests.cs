using System.Diagnostics;
using EdgeVoice.Audio;
using EdgeVoice.Audio.Wav;

namespace EdgeVoice.Tests.Audio;

/// <summary>
/// A WAV sink whose disk fills up or whose folder goes away: the utterance fails with
/// <see cref="AudioDeviceUnavailableException"/> and the system's message, no empty or partial file is
/// left, and the next utterance is written once there is room again.
/// </summary>
public sealed class WavSinkFaultTests : IDisposable
{
    private static readonly AudioFormat Format = AudioFormat.Mono(22050);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"edgevoice-wavfault-{Guid.NewGuid():N}");
    private bool _mounted;

    public void Dispose()
    {
        if (_mounted)
        {
            Run("umount", _folder);
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void FullDisk_FailsWithTheSystemsMessage_LeavesNoFile_AndRecoversWhenThereIsRoom()
    {
        // A 64 KiB tmpfs is a disk that fills on demand; mounting one needs root (the suite runs as root
        // in CI and in the dev container). Without it, the folder-gone test below still covers the mapping.
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }

        Directory.CreateDirectory(_folder);
        Assert.Equal(0, Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", _folder));
        _mounted = true;
        using var sink = WavFileSink.ToDirectory(_folder, keepFiles: 10, TimeProvider.System);
        var filler = Path.Combine(_folder, "filler.bin");
        File.WriteAllBytes(filler, new byte[56 * 1024]);

        var error = Assert.Throws<AudioDeviceUnavailableException>(() => Speak(sink, "full", seconds: 1));

        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder, "*.wav"));

        File.Delete(filler);
        Speak(sink, "after", seconds: 1);

        var written = Assert.Single(Directory.GetFiles(_folder, "*.wav"));
        Assert.Equal(44 + (Format.SampleRate * 2), new FileInfo(written).Length);
    }

    [Fact]
    public void FolderGone_FailsAsUnavailable_AndRecoversWhenItIsBack()
    {
        using var sink = WavFileSink.ToDirectory(_folder, keepFiles: 10, TimeProvider.System);
        Directory.Delete(_folder);

        var error = Assert.Throws<AudioDeviceUnavailableException>(() => Speak(sink, "gone", seconds: 0.1));

        Assert.Contains("cannot be written", error.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(_folder);
        Speak(sink, "back", seconds: 0.1);
        Assert.Single(Directory.GetFiles(_folder, "*.wav"));
    }

    [Fact]
    public void UnwritableFolder_FailsAtCreation_NotAtTheFirstRequest()
    {
        File.WriteAllText(_folder, "a file where the folder should be");
        try
        {
            Assert.Throws<AudioDeviceUnavailableException>(() => WavFileSink.ToDirectory(Path.Combine(_folder, "audio"), 10, TimeProvider.System));
        }
        finally
        {
            File.Delete(_folder);
        }
    }

    private static void Speak(WavFileSink sink, string id, double seconds)
    {
        using var playback = sink.Begin(id, Format);
        var block = new short[Format.SampleRate / 50];
        Array.Fill(block, (short)1000);
        for (var i = 0; i < (int)(seconds * 50); i++)
        {
            playback.Write(block, CancellationToken.None);
        }

        playback.Finish();
    }

    private static int Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
