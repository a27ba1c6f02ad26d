using System.Device.Gpio;
using EdgeVoice.Audio;
using EdgeVoice.Core;
using EdgeVoice.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Gpio;

/// <summary>The GPIO front-end's registration: the host calls <see cref="AddGpioFrontend"/> once, after the local sink is registered.</summary>
internal static class GpioFrontend
{
    /// <summary>The kiosk parts (buttons, LEDs, amplifier), the local sink wrapped so the amplifier follows it, and the last utterance for "repeat".</summary>
    public static IServiceCollection AddGpioFrontend(this IServiceCollection services)
    {
        services.AddSingleton(sp => new GpioBoard(
            sp.GetService<GpioDriverSource>()?.DriverFor ?? GpioBoard.Libgpiod(sp.GetRequiredService<IOptions<GpioOptions>>().Value.Driver)));
        services.AddSingleton(sp => new Amplifier(sp.GetRequiredService<IOptions<GpioOptions>>().Value.AmplifierEnable, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LastUtterance>();
        services.AddSingleton<IRequestObserver>(sp => sp.GetRequiredService<LastUtterance>());

        var local = services.Last(d => d.ServiceType == typeof(IAudioSink));
        services.Remove(local);
        services.AddSingleton<IAudioSink>(sp => new AmplifierSink(Resolve(local, sp), sp.GetRequiredService<Amplifier>()));

        services.AddSingleton<KioskHardware>();
        services.AddHostedService(sp => sp.GetRequiredService<KioskHardware>());
        return services;
    }

    private static IAudioSink Resolve(ServiceDescriptor descriptor, IServiceProvider services) =>
        descriptor.ImplementationInstance as IAudioSink
        ?? (IAudioSink?)descriptor.ImplementationFactory?.Invoke(services)
        ?? (IAudioSink)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}

/// <summary>Where GPIO chips are opened, when not through libgpiod (a test's driver).</summary>
internal sealed record GpioDriverSource(Func<int, GpioDriver> DriverFor);

/// <summary>The last utterance the local lane finished, for the repeat button.</summary>
internal sealed class LastUtterance : IRequestObserver
{
    private SayRequest? _last;

    public SayRequest? Request => Volatile.Read(ref _last);

    public void Observe(RequestEvent requestEvent)
    {
        if (requestEvent.Event == RequestEvent.Finished && requestEvent.Request is { Sink: null } request && request.Text.Length > 0)
        {
            Volatile.Write(ref _last, request);
        }
    }
}

/// <summary>
/// Opens the configured kiosk parts when the daemon starts and closes them when it stops. A part that cannot be
/// opened is left out with one log line and is listed as such in <c>&lt;base&gt;/info</c>; the daemon speaks without it.
/// </summary>
internal sealed partial class KioskHardware(
    IOptions<GpioOptions> options,
    GpioBoard board,
    Amplifier amplifier,
    LastUtterance last,
    Admission admission,
    IRequestEvents events,
    EdgeVoiceMetrics metrics,
    DeviceFeatures features,
    TimeProvider time,
    ILogger<KioskHardware> logger) : IHostedService, IDisposable
{
    public const string Frontend = "gpio";
    private readonly List<IDisposable> _open = [];
    private ISwitch? _readyLed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var gpio = options.Value;
        var enable = Open("Gpio:AmplifierEnable", gpio.AmplifierEnable, () => board.OpenOutput(gpio.AmplifierEnable));
        var speaking = Open("Gpio:SpeakingLed", gpio.SpeakingLed, () => OpenLed(gpio.SpeakingLed));
        amplifier.Attach(enable, speaking);
        _readyLed = Open("Gpio:ReadyLed", gpio.ReadyLed, () => OpenLed(gpio.ReadyLed));
        _readyLed?.Set(true);
        OpenButton("Gpio:StopButton", "stop", gpio.StopButton, Stop);
        OpenButton("Gpio:RepeatButton", "repeat", gpio.RepeatButton, Repeat);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        amplifier.Attach(null, null);
        foreach (var part in Enumerable.Reverse(_open))
        {
            part.Dispose();
        }

        _open.Clear();
        _readyLed = null;
        board.Dispose();
    }

    /// <summary>Stop button: a press stops what is playing; a hold stops everything waiting too.</summary>
    public void Stop(ButtonAction action)
    {
        if (action == ButtonAction.Hold)
        {
            admission.Stop("stopped by holding the stop button");
        }
        else if (action == ButtonAction.Press)
        {
            admission.Cancel(null, "stopped by the stop button");
        }
    }

    /// <summary>Repeat button: a press speaks the last finished utterance again.</summary>
    public void Repeat(ButtonAction action)
    {
        if (action != ButtonAction.Press || last.Request is not { } request)
        {
            return;
        }

        var again = request with
        {
            Id = "repeat-" + Guid.NewGuid().ToString("N")[..8],
            ReceivedAt = time.GetTimestamp(),
            Frontend = Frontend,
            Replies = null,
            CallerId = false,
            Interrupt = false,
            ResolvedVoice = null,
        };
        admission.Submit(again, Frontend);
    }

    private ISwitch OpenLed(LedOptions led) => led.SysfsName.Length > 0 ? new SysfsLed(led.SysfsName) : board.OpenOutput(led);

    private void OpenButton(string key, string name, ButtonLineOptions line, Action<ButtonAction> act)
    {
        var logic = new ButtonLogic(line, time, action =>
        {
            var kind = action switch { ButtonAction.Hold => "hold", ButtonAction.DoublePress => "double_press", _ => "press" };
            metrics.ButtonPressed(name, kind);
            act(action);
            events.Publish(new RequestEvent { Event = RequestEvent.ButtonPressed, Time = time.GetUtcNow(), Button = name, Action = kind });
        });
        if (Open(key, line, () => new InputPart(board.OpenInput(line, logic.Edge), logic)) is null)
        {
            logic.Dispose();
        }
    }

    private T? Open<T>(string key, LineOptions line, Func<T> open)
        where T : class, IDisposable
    {
        if (!line.Fitted)
        {
            return null;
        }

        try
        {
            var part = open();
            _open.Add(part);
            features.Report(new DeviceFeature(key, line.Where, Active: true));
            Log.Opened(logger, key, line.Where);
            return part;
        }
        catch (GpioUnavailableException e)
        {
            features.Report(new DeviceFeature(key, line.Where, Active: false, e.Message));
            Log.Unavailable(logger, key, e.Message);
            return null;
        }
    }

    private sealed class InputPart(IDisposable line, ButtonLogic logic) : IDisposable
    {
        public void Dispose()
        {
            line.Dispose();
            logic.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "{Part} on {Where}")]
        public static partial void Opened(ILogger logger, string part, string where);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "{Part} is not used: {Reason}")]
        public static partial void Unavailable(ILogger logger, string part, string reason);
    }
}
