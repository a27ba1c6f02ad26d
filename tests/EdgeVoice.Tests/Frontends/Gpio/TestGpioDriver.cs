using System.Collections.Concurrent;
using System.Device.Gpio;

namespace EdgeVoice.Tests.Frontends.Gpio;

/// <summary>
/// A GPIO chip in memory, through System.Device.Gpio's own driver abstraction: it records every line write
/// (with the order of everything else the test logs) and injects edges through the registered callbacks.
/// </summary>
internal sealed class TestGpioDriver(ConcurrentQueue<string> log, int lines = 64) : GpioDriver
{
    private readonly ConcurrentDictionary<int, PinValue> _values = new();
    private readonly ConcurrentDictionary<int, PinChangeEventHandler> _callbacks = new();
    private readonly ConcurrentDictionary<int, PinMode> _modes = new();

    public ConcurrentQueue<string> Log => log;

    protected override int PinCount => lines;

    public PinValue ValueOf(int line) => _values.GetValueOrDefault(line, PinValue.Low);

    /// <summary>Drives an input line to <paramref name="value"/>, as a button would, and calls the callbacks.</summary>
    public void Drive(int line, PinValue value)
    {
        _values[line] = value;
        if (_callbacks.TryGetValue(line, out var callback))
        {
            callback(this, new PinValueChangedEventArgs(value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling, line));
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        if (pinNumber >= lines)
        {
            throw new ArgumentException($"no line {pinNumber}");
        }
    }

    protected override void ClosePin(int pinNumber) => _modes.TryRemove(pinNumber, out _);

    protected override void SetPinMode(int pinNumber, PinMode mode) => _modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => _modes.GetValueOrDefault(pinNumber, PinMode.Input);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => ValueOf(pinNumber);

    protected override void Write(int pinNumber, PinValue value)
    {
        _values[pinNumber] = value;
        log.Enqueue($"line {pinNumber} {(value == PinValue.High ? "high" : "low")}");
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        _callbacks[pinNumber] = callback;

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        _callbacks.TryRemove(pinNumber, out _);
}
