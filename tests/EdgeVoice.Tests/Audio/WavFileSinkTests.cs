using System.Buffers.Binary;
using EdgeVoice.Audio;
using EdgeVoice.Audio.Wav;
using Microsoft.Extensions.Time.Testing;

namespace EdgeVoice.Tests.Audio;

public sealed class WavFileSinkTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"edgevoice-wavtest-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void ToFile_WritesAValidRiffHeaderAndEverySample()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "out.wav");
        short[] first = [1, -2, 3, short.MaxValue];
        short[] second = [short.MinValue, 0];

        using (var sink = WavFileSink.ToFile(path))
        using (var playback = sink.Begin("id", AudioFormat.Mono(16000)))
        {
            playback.Write(first, CancellationToken.None);
            playback.Write(second, CancellationToken.None);
            playback.Finish();
        }

        var bytes = File.ReadAllBytes(path);
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.Equal(bytes.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal("WAVEfmt "u8.ToArray(), bytes[8..16]);
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(20)));      // PCM
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(22)));      // mono
        Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(32000, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(28)));  // bytes per second
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(34)));     // bits
        Assert.Equal("data"u8.ToArray(), bytes[36..40]);
        Assert.Equal(12, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes.AsSpan(44)).ToArray();
        Assert.Equal([.. first, .. second], samples);
    }

    [Fact]
    public void ToDirectory_KeepsOnlyTheNewestFiles()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var sink = WavFileSink.ToDirectory(_folder, keepFiles: 2, clock);

        foreach (var id in new[] { "one", "two", "three" })
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            using var playback = sink.Begin(id, AudioFormat.Mono(22050));
            playback.Write(new short[100], CancellationToken.None);
            playback.Finish();
        }

        var names = Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "20260101-000002.000-two.wav", "20260101-000003.000-three.wav" }, names);
    }

    [Fact]
    public void ToDirectory_UnsafeCharactersInTheId_DoNotEscapeTheFolder()
    {
        using var sink = WavFileSink.ToDirectory(_folder, keepFiles: 0, TimeProvider.System);

        using (var playback = sink.Begin("../../etc/passwd", AudioFormat.Mono(22050)))
        {
            playback.Finish();
        }

        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.EndsWith("-______etc_passwd.wav", file, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDirectory_FolderThatCannotBeCreated_IsAClearError()
    {
        var blocker = Path.Combine(_folder, "a-file");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(blocker, "not a folder");

        var error = Assert.Throws<AudioDeviceUnavailableException>(() => WavFileSink.ToDirectory(Path.Combine(blocker, "wav"), 0, TimeProvider.System));

        Assert.Contains("cannot be created", error.Message, StringComparison.Ordinal);
    }
}
