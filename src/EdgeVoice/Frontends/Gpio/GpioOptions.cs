using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Gpio;

/// <summary>Kiosk hardware on GPIO lines (configuration section <c>Gpio</c>). A part whose <c>Line</c> is -1 is not fitted.</summary>
internal sealed class GpioOptions
{
    public const string Section = "Gpio";

    /// <summary>libgpiod's API: <c>auto</c> (v2 when libgpiod.so.3 is installed, else v1), <c>v1</c> or <c>v2</c>.</summary>
    public string Driver { get; set; } = "auto";

    /// <summary>The amplifier's enable (shutdown) line: on before the first sample, off a while after the last.</summary>
    public AmplifierLineOptions AmplifierEnable { get; set; } = new();

    /// <summary>Press: stop what is playing (like <c>&lt;base&gt;/cancel</c> without an id); hold: stop everything waiting too.</summary>
    public ButtonLineOptions StopButton { get; set; } = new();

    /// <summary>Press: speak the last finished utterance again.</summary>
    public ButtonLineOptions RepeatButton { get; set; } = new();

    /// <summary>Lit while the device speaks.</summary>
    public LedOptions SpeakingLed { get; set; } = new();

    /// <summary>Lit while the daemon runs and can speak.</summary>
    public LedOptions ReadyLed { get; set; } = new();

    /// <summary>Every part, with its key, for logs, <c>&lt;base&gt;/info</c> and <c>edgevoice gpio check</c>.</summary>
    public IEnumerable<(string Key, LineOptions Line)> Parts() =>
    [
        ($"{Section}:{nameof(AmplifierEnable)}", AmplifierEnable),
        ($"{Section}:{nameof(StopButton)}", StopButton),
        ($"{Section}:{nameof(RepeatButton)}", RepeatButton),
        ($"{Section}:{nameof(SpeakingLed)}", SpeakingLed),
        ($"{Section}:{nameof(ReadyLed)}", ReadyLed),
    ];
}

/// <summary>One GPIO line: a chip (<c>/dev/gpiochipN</c>) and a line offset on it.</summary>
internal class LineOptions
{
    /// <summary>The chip's number N of <c>/dev/gpiochipN</c> (on a Jetson Orin, 0 is <c>tegra234-gpio</c>).</summary>
    public int Chip { get; set; }

    /// <summary>The line's offset on the chip (<c>gpioinfo</c> lists them); -1: not fitted.</summary>
    public int Line { get; set; } = -1;

    /// <summary>The line is active when low (a button to ground with a pull-up; an enable pin that is active low).</summary>
    public bool ActiveLow { get; set; }

    public virtual bool Fitted => Line >= 0;

    public virtual string Where => $"gpiochip{Chip}:{Line}";
}

internal sealed class AmplifierLineOptions : LineOptions
{
    /// <summary>Milliseconds between switching the amplifier on and its first sample (its turn-on pop passes unheard).</summary>
    public int LeadMs { get; set; } = 50;

    /// <summary>Milliseconds the amplifier stays on after the last sample (so a run of utterances does not click between them).</summary>
    public int HoldMs { get; set; } = 2000;
}

internal sealed class ButtonLineOptions : LineOptions
{
    public ButtonLineOptions() => ActiveLow = true;

    /// <summary>Edges within this many milliseconds of the last accepted one are contact bounce.</summary>
    public int DebounceMs { get; set; } = 30;

    /// <summary>Held down this many milliseconds: a hold.</summary>
    public int HoldMs { get; set; } = 1000;

    /// <summary>A second press within this many milliseconds of the first: a double press.</summary>
    public int DoublePressMs { get; set; } = 400;
}

internal sealed class LedOptions : LineOptions
{
    /// <summary>A <c>/sys/class/leds</c> name to use instead of a GPIO line (for example <c>pwr</c> or <c>user-led</c>).</summary>
    public string SysfsName { get; set; } = "";

    public override bool Fitted => SysfsName.Length > 0 || base.Fitted;

    public override string Where => SysfsName.Length > 0 ? $"led:{SysfsName}" : base.Where;
}

internal sealed class GpioOptionsValidator : IValidateOptions<GpioOptions>
{
    public ValidateOptionsResult Validate(string? name, GpioOptions options)
    {
        var failures = new List<string>();
        if (options.Driver is not ("auto" or "v1" or "v2"))
        {
            failures.Add($"Gpio:Driver must be auto, v1 or v2 (got '{options.Driver}').");
        }

        foreach (var (key, line) in options.Parts())
        {
            if (line.Chip < 0 || line.Line < -1)
            {
                failures.Add($"{key}: Chip must be 0 or more and Line -1 (not fitted) or more (got chip {line.Chip}, line {line.Line}).");
            }
        }

        if (options.AmplifierEnable.LeadMs is < 0 or > 2_000 || options.AmplifierEnable.HoldMs is < 0 or > 600_000)
        {
            failures.Add("Gpio:AmplifierEnable: LeadMs must be 0 to 2000 and HoldMs 0 to 600000.");
        }

        foreach (var (key, button) in new[] { ("Gpio:StopButton", options.StopButton), ("Gpio:RepeatButton", options.RepeatButton) })
        {
            if (button.DebounceMs is < 0 or > 500 || button.HoldMs is < 100 or > 60_000 || button.DoublePressMs is < 0 or > 5_000)
            {
                failures.Add($"{key}: DebounceMs must be 0 to 500, HoldMs 100 to 60000 and DoublePressMs 0 to 5000.");
            }
        }

        var used = options.Parts().Where(p => p.Line.Fitted && p.Line is not LedOptions { SysfsName.Length: > 0 }).GroupBy(p => p.Line.Where).Where(g => g.Count() > 1);
        failures.AddRange(used.Select(g => $"{string.Join(" and ", g.Select(p => p.Key))} use the same line {g.Key}."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
