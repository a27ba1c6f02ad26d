using System.Device.Gpio;
using System.Device.Gpio.Drivers;

namespace EdgeVoice.Frontends.Gpio;

/// <summary>Something that can be switched on and off: a GPIO output line or a <c>/sys/class/leds</c> LED.</summary>
internal interface ISwitch : IDisposable
{
    void Set(bool on);
}

/// <summary>
/// The GPIO chips the kiosk parts are on: one <see cref="GpioController"/> per chip, opened on first use
/// through libgpiod (or a test's driver). Every failure comes back as one sentence naming the part's line.
/// </summary>
internal sealed class GpioBoard(Func<int, GpioDriver> driverFor) : IDisposable
{
    private readonly Dictionary<int, GpioController> _chips = [];

    /// <summary>libgpiod's own drivers: <c>v2</c>, <c>v1</c>, or <c>auto</c> (v2 when its library loads, else v1).</summary>
    public static Func<int, GpioDriver> Libgpiod(string api) => chip => api switch
    {
        "v1" => new LibGpiodDriver(chip),
        "v2" => new LibGpiodV2Driver(chip),
        _ => AutoDriver(chip),
    };

    /// <summary>Opens an output line, off.</summary>
    public ISwitch OpenOutput(LineOptions line)
    {
        var controller = Chip(line);
        try
        {
            controller.OpenPin(line.Line, PinMode.Output, Level(line, false));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new GpioUnavailableException($"line {line.Where} cannot be opened as an output: {Reason(e)}", e);
        }

        return new OutputLine(controller, line);
    }

    /// <summary>Opens an input line (with the pull-up or pull-down that makes it idle when released, where the chip has one) and calls <paramref name="changed"/> with "pressed" on each edge.</summary>
    public IDisposable OpenInput(LineOptions line, Action<bool> changed)
    {
        var controller = Chip(line);
        try
        {
            var mode = line.ActiveLow ? PinMode.InputPullUp : PinMode.InputPullDown;
            controller.OpenPin(line.Line, controller.IsPinModeSupported(line.Line, mode) ? mode : PinMode.Input);
            void OnChange(object sender, PinValueChangedEventArgs e) => changed(e.ChangeType == (line.ActiveLow ? PinEventTypes.Falling : PinEventTypes.Rising));
            controller.RegisterCallbackForPinValueChangedEvent(line.Line, PinEventTypes.Falling | PinEventTypes.Rising, OnChange);
            return new Closer(() =>
            {
                controller.UnregisterCallbackForPinValueChangedEvent(line.Line, OnChange);
                controller.ClosePin(line.Line);
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new GpioUnavailableException($"line {line.Where} cannot be opened as an input: {Reason(e)}", e);
        }
    }

    public void Dispose()
    {
        foreach (var controller in _chips.Values)
        {
            controller.Dispose();
        }

        _chips.Clear();
    }

    private static PinValue Level(LineOptions line, bool on) => on != line.ActiveLow ? PinValue.High : PinValue.Low;

    private GpioController Chip(LineOptions line)
    {
        lock (_chips)
        {
            if (_chips.TryGetValue(line.Chip, out var controller))
            {
                return controller;
            }

            try
            {
                controller = new GpioController(driverFor(line.Chip));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new GpioUnavailableException($"/dev/gpiochip{line.Chip} cannot be opened: {Reason(e)}", e);
            }

            _chips[line.Chip] = controller;
            return controller;
        }
    }

    private static GpioDriver AutoDriver(int chip)
    {
        try
        {
            return new LibGpiodV2Driver(chip);
        }
        catch (Exception e) when (IsLibraryMissing(e))
        {
            return new LibGpiodDriver(chip);
        }
    }

    private static bool IsLibraryMissing(Exception e) =>
        e is DllNotFoundException or EntryPointNotFoundException || e.InnerException is DllNotFoundException or EntryPointNotFoundException;

    /// <summary>The innermost cause, said plainly (a missing libgpiod is named as such).</summary>
    private static string Reason(Exception e)
    {
        if (IsLibraryMissing(e) || e is TypeInitializationException { InnerException: DllNotFoundException })
        {
            return "libgpiod is not installed (apt-get install libgpiod2, or libgpiod3 for its v2 API)";
        }

        var inner = e;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }

        return inner.Message;
    }

    private sealed class OutputLine(GpioController controller, LineOptions line) : ISwitch
    {
        public void Set(bool on) => controller.Write(line.Line, Level(line, on));

        public void Dispose()
        {
            try
            {
                Set(false);
                controller.ClosePin(line.Line);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                // Closing at shutdown: the chip may be gone already.
            }
        }
    }

    private sealed class Closer(Action close) : IDisposable
    {
        public void Dispose() => close();
    }
}

/// <summary>A GPIO chip or line cannot be used: no such chip or line, the line is taken, libgpiod is missing, no permission.</summary>
internal sealed class GpioUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// An LED of <c>/sys/class/leds</c> (the kernel's LED class): its trigger is set to <c>none</c> and its brightness
/// to its maximum or zero.
/// </summary>
internal sealed class SysfsLed : ISwitch
{
    private readonly string _brightness;
    private readonly string _on;

    public SysfsLed(string name, string root = "/sys/class/leds")
    {
        var folder = Path.Combine(root, name);
        _brightness = Path.Combine(folder, "brightness");
        try
        {
            if (!File.Exists(_brightness))
            {
                throw new FileNotFoundException($"no LED '{name}' in {root}");
            }

            var max = Path.Combine(folder, "max_brightness");
            _on = File.Exists(max) ? File.ReadAllText(max).Trim() : "1";
            var trigger = Path.Combine(folder, "trigger");
            if (File.Exists(trigger))
            {
                File.WriteAllText(trigger, "none");
            }

            Set(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GpioUnavailableException($"LED {root}/{name} cannot be used: {e.Message}", e);
        }
    }

    public void Set(bool on) => File.WriteAllText(_brightness, on ? _on : "0");

    public void Dispose()
    {
        try
        {
            Set(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Shutting down: nothing more to do about an LED that went away.
        }
    }
}
