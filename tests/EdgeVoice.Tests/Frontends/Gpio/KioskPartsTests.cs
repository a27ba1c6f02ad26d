using System.Collections.Concurrent;
using System.Device.Gpio;
using EdgeVoice.Audio;
using EdgeVoice.Frontends.Gpio;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EdgeVoice.Tests.Frontends.Gpio;

/// <summary>The amplifier, the speaking LED and the button logic, on a test GPIO driver and a fake clock.</summary>
public sealed class KioskPartsTests
{
    private static readonly AudioFormat Format = new(16_000, 1);

    [Fact]
    public async Task Amplifier_IsOnForItsLeadTimeBeforeTheFirstSample_AndOffAfterTheHold()
    {
        var log = new ConcurrentQueue<string>();
        var time = new FakeTimeProvider();
        var options = new AmplifierLineOptions { Line = 5, LeadMs = 50, HoldMs = 2000 };
        using var board = new GpioBoard(_ => new TestGpioDriver(log));
        using var amplifier = new Amplifier(options, time);
        amplifier.Attach(board.OpenOutput(options), board.OpenOutput(new LineOptions { Line = 6 }));
        using var sink = new AmplifierSink(new LoggingSink(log), amplifier);
        log.Clear();

        var playback = sink.Begin("u1", Format);
        var first = Task.Run(() => playback.Write(new short[160], CancellationToken.None));
        await WaitForAsync(() => log.Contains("line 5 high"));
        await Task.Delay(50);
        Assert.DoesNotContain("samples", log); // held back: the amplifier is not warm yet
        time.Advance(TimeSpan.FromMilliseconds(50));
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        playback.Finish();
        playback.Dispose();

        Assert.Equal(["line 6 high", "line 5 high", "samples", "line 6 low"], log.ToArray());
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.DoesNotContain("line 5 low", log);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("line 5 low", log.Last());
    }

    [Fact]
    public void Amplifier_StaysOnAcrossUtterancesWithinTheHold_AndAnActiveLowLineIsInverted()
    {
        var log = new ConcurrentQueue<string>();
        var time = new FakeTimeProvider();
        var options = new AmplifierLineOptions { Line = 2, ActiveLow = true, LeadMs = 0, HoldMs = 1000 };
        using var board = new GpioBoard(_ => new TestGpioDriver(log));
        using var amplifier = new Amplifier(options, time);
        amplifier.Attach(board.OpenOutput(options), null);
        using var sink = new AmplifierSink(new LoggingSink(log), amplifier);
        log.Clear();

        using (var one = sink.Begin("u1", Format))
        {
            one.Write(new short[10], CancellationToken.None);
        }

        time.Advance(TimeSpan.FromMilliseconds(500));
        using (var two = sink.Begin("u2", Format))
        {
            two.Write(new short[10], CancellationToken.None);
        }

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(["line 2 low", "samples", "samples"], log.ToArray()); // on (active low) once, never off between
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("line 2 high", log.Last());
    }

    [Fact]
    public void Button_PressIsReportedOnTheEdge_BounceIsIgnored_HoldAndDoublePressAreTimed()
    {
        var time = new FakeTimeProvider();
        var actions = new List<ButtonAction>();
        using var button = new ButtonLogic(new ButtonLineOptions { DebounceMs = 30, HoldMs = 1000, DoublePressMs = 400 }, time, actions.Add);

        button.Edge(pressed: true);
        Assert.Equal([ButtonAction.Press], actions);
        time.Advance(TimeSpan.FromMilliseconds(5));
        button.Edge(pressed: false); // bounce
        button.Edge(pressed: true);
        time.Advance(TimeSpan.FromMilliseconds(100));
        button.Edge(pressed: false);
        time.Advance(TimeSpan.FromMilliseconds(100));
        button.Edge(pressed: true);
        Assert.Equal([ButtonAction.Press, ButtonAction.Press, ButtonAction.DoublePress], actions);

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.DoesNotContain(ButtonAction.Hold, actions);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(ButtonAction.Hold, actions.Last());

        time.Advance(TimeSpan.FromMilliseconds(100));
        button.Edge(pressed: false);
        time.Advance(TimeSpan.FromMilliseconds(600));
        button.Edge(pressed: true);
        time.Advance(TimeSpan.FromMilliseconds(200));
        button.Edge(pressed: false); // released before the hold time: no hold
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([ButtonAction.Press, ButtonAction.Press, ButtonAction.DoublePress, ButtonAction.Hold, ButtonAction.Press], actions);
    }

    [Fact]
    public void Button_AReleaseThatEndsInsideTheDebounceTime_IsTakenWhenItIsOver()
    {
        var time = new FakeTimeProvider();
        var actions = new List<ButtonAction>();
        using var button = new ButtonLogic(new ButtonLineOptions { DebounceMs = 30, HoldMs = 1000 }, time, actions.Add);

        button.Edge(pressed: true);
        time.Advance(TimeSpan.FromMilliseconds(10));
        button.Edge(pressed: false); // a quick tap: released inside the debounce time
        time.Advance(TimeSpan.FromMilliseconds(20)); // the debounce time is over: the release is taken
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([ButtonAction.Press], actions); // no hold
    }

    [Fact]
    public void Board_AButtonEdgeThroughTheDriver_ReachesItsHandler_ActiveLow()
    {
        var log = new ConcurrentQueue<string>();
        var driver = new TestGpioDriver(log);
        using var board = new GpioBoard(_ => driver);
        var edges = new List<bool>();
        using var input = board.OpenInput(new ButtonLineOptions { Line = 17 }, edges.Add);

        driver.Drive(17, PinValue.Low);
        driver.Drive(17, PinValue.High);

        Assert.Equal([true, false], edges);
    }

    [Fact]
    public void Board_ALineTheChipHasNot_FailsWithTheLineNamed()
    {
        using var board = new GpioBoard(_ => new TestGpioDriver(new ConcurrentQueue<string>(), lines: 8));
        var e = Assert.Throws<GpioUnavailableException>(() => board.OpenOutput(new LineOptions { Chip = 0, Line = 40 }));
        Assert.Contains("gpiochip0:40", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("v1")]
    [InlineData("v2")]
    public void Board_TheRealDriverWithoutAChip_SaysWhy(string api)
    {
        using var board = new GpioBoard(GpioBoard.Libgpiod(api));
        var e = Assert.Throws<GpioUnavailableException>(() => board.OpenOutput(new LineOptions { Chip = 97, Line = 3 }));
        Assert.StartsWith("/dev/gpiochip97 cannot be opened: ", e.Message, StringComparison.Ordinal);
        var reason = e.Message["/dev/gpiochip97 cannot be opened: ".Length..];
        Assert.True(reason.Contains("libgpiod is not installed", StringComparison.Ordinal) || reason.Length > 5, e.Message);
    }

    [Fact]
    public void SysfsLed_SetsItsTriggerToNone_AndItsBrightnessToItsMaximum()
    {
        var root = Directory.CreateTempSubdirectory("edgevoice-leds").FullName;
        var led = Directory.CreateDirectory(Path.Combine(root, "green")).FullName;
        File.WriteAllText(Path.Combine(led, "brightness"), "0");
        File.WriteAllText(Path.Combine(led, "max_brightness"), "255\n");
        File.WriteAllText(Path.Combine(led, "trigger"), "[heartbeat]");
        using (var green = new SysfsLed("green", root))
        {
            green.Set(true);
            Assert.Equal("255", File.ReadAllText(Path.Combine(led, "brightness")));
            Assert.Equal("none", File.ReadAllText(Path.Combine(led, "trigger")));
        }

        Assert.Equal("0", File.ReadAllText(Path.Combine(led, "brightness")));
        Assert.Contains("no LED 'red'", Assert.Throws<GpioUnavailableException>(() => new SysfsLed("red", root)).Message, StringComparison.Ordinal);
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }

    /// <summary>A sink that logs "samples" when samples reach it, into the same log as the line writes.</summary>
    private sealed class LoggingSink(ConcurrentQueue<string> log) : IAudioSink
    {
        public string Description => "logging";

        public IPlayback Begin(string utteranceId, AudioFormat format) => new Playback(log);

        public void Dispose()
        {
        }

        private sealed class Playback(ConcurrentQueue<string> log) : IPlayback
        {
            public int Underruns => 0;

            public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken) => log.Enqueue("samples");

            public void Finish()
            {
            }

            public void Dispose()
            {
            }
        }
    }
}
