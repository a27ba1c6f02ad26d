using EdgeVoice.Audio;
using EdgeVoice.Audio.Alsa;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVoice.Tests.Audio;

/// <summary>The ALSA sink against real libasound: the file plugin captures what was played.</summary>
public sealed class AlsaSinkTests : IDisposable
{
    private readonly string _capture = Path.Combine(Path.GetTempPath(), $"edgevoice-alsa-{Guid.NewGuid():N}.raw");

    public void Dispose() => File.Delete(_capture);

    [Fact]
    public void Play_CapturedBytesAreExactlyTheSamplesWritten()
    {
        var tone = Enumerable.Range(0, 22050).Select(i => (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 22050))).ToArray();
        using var sink = new AlsaSink(AlsaCapture.Device(_capture), 100, NullLogger.Instance);

        using (var playback = sink.Begin("tone", AudioFormat.Mono(22050)))
        {
            playback.Write(tone.AsSpan(0, 10000), CancellationToken.None);
            playback.Write(tone.AsSpan(10000), CancellationToken.None);
            playback.Finish();
            Assert.Equal(0, playback.Underruns);
        }

        Assert.Equal(tone, AlsaCapture.ReadSamples(_capture));
    }

    [Fact]
    public void Play_TwoUtterancesWithDifferentRates_ReuseTheOpenDevice()
    {
        using var sink = new AlsaSink(AlsaCapture.Device(_capture), 100, NullLogger.Instance);

        foreach (var rate in new[] { 22050, 16000, 22050 })
        {
            using var playback = sink.Begin("u", AudioFormat.Mono(rate));
            playback.Write(Enumerable.Repeat((short)100, rate / 10).ToArray(), CancellationToken.None);
            playback.Finish();
        }

        Assert.Equal(2205 + 1600 + 2205, AlsaCapture.ReadSamples(_capture).Length);
    }

    [Fact]
    public void Begin_DeviceThatDoesNotExist_IsAClearErrorNamingIt()
    {
        using var sink = new AlsaSink("no_such_device_here", 100, NullLogger.Instance);

        var error = Assert.Throws<AudioDeviceUnavailableException>(() => sink.Begin("x", AudioFormat.Mono(22050)));

        Assert.Contains("'no_such_device_here'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Cancelled_StopsAndTheNextUtteranceStillPlays()
    {
        using var sink = new AlsaSink(AlsaCapture.Device(_capture), 100, NullLogger.Instance);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        using (var playback = sink.Begin("first", AudioFormat.Mono(22050)))
        {
            Assert.Throws<OperationCanceledException>(() => playback.Write(new short[22050], cancelled.Token));
        }

        using (var playback = sink.Begin("second", AudioFormat.Mono(22050)))
        {
            playback.Write(Enumerable.Repeat((short)7, 500).ToArray(), CancellationToken.None);
            playback.Finish();
        }

        Assert.Equal(Enumerable.Repeat((short)7, 500), AlsaCapture.ReadSamples(_capture));
    }

    [Theory]
    [InlineData("auto", "Auto", null)]
    [InlineData("alsa", "Alsa", null)]
    [InlineData("alsa:hw:1,0", "Alsa", "hw:1,0")]
    [InlineData("wav:/var/lib/edgevoice/audio", "Wav", "/var/lib/edgevoice/audio")]
    [InlineData("WAV", "Wav", null)]
    public void SinkSpec_Parses(string text, string kind, string? target)
    {
        Assert.True(SinkSpec.TryParse(text, out var spec, out _));

        Assert.Equal(new SinkSpec(Enum.Parse<SinkKind>(kind), target), spec);
    }

    [Theory]
    [InlineData("speaker")]
    [InlineData("alsa:")]
    [InlineData("auto:x")]
    public void SinkSpec_RefusesWithAReason(string text)
    {
        Assert.False(SinkSpec.TryParse(text, out _, out var error));

        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_Auto_WithoutASoundCard_FallsBackToWavFiles()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"edgevoice-auto-{Guid.NewGuid():N}");
        var options = new AudioOptions { Sink = "auto", AlsaDevice = "no_such_device_here", WavDirectory = folder };

        using var sink = AudioSinkFactory.Create(options, TimeProvider.System, NullLoggerFactory.Instance);

        Assert.Equal($"wav:{folder}", sink.Description);
        Directory.Delete(folder);
    }

    [Fact]
    public void Factory_Auto_WithAWorkingDevice_PlaysThroughAlsa()
    {
        var options = new AudioOptions { Sink = "auto", AlsaDevice = AlsaCapture.Device(_capture) };

        using var sink = AudioSinkFactory.Create(options, TimeProvider.System, NullLoggerFactory.Instance);

        Assert.StartsWith("alsa:", sink.Description, StringComparison.Ordinal);
    }
}
