namespace EdgeVoice.Core;

/// <summary>One piece of attached hardware (a button, an LED, the amplifier's enable line, the mixer) and whether it works.</summary>
/// <param name="Name">What it is, as configured (<c>Gpio:StopButton</c>, <c>Audio:MixerControl</c>).</param>
/// <param name="Where">Where it is (<c>gpiochip0:17</c>, <c>led:green</c>, <c>default:Master</c>).</param>
/// <param name="Active">It opened and is in use.</param>
/// <param name="Reason">Why it is not in use; null when it is.</param>
internal sealed record DeviceFeature(string Name, string Where, bool Active, string? Reason = null);

/// <summary>
/// What hardware features the daemon runs with, reported by whoever opens them and read by whoever
/// describes the daemon (<c>&lt;base&gt;/info</c>). Missing hardware is listed here rather than stopping the start.
/// </summary>
internal sealed class DeviceFeatures
{
    private readonly Lock _gate = new();
    private readonly List<DeviceFeature> _features = [];

    public void Report(DeviceFeature feature)
    {
        lock (_gate)
        {
            _features.RemoveAll(f => f.Name == feature.Name);
            _features.Add(feature);
        }
    }

    public IReadOnlyList<DeviceFeature> List()
    {
        lock (_gate)
        {
            return [.. _features.OrderBy(f => f.Name, StringComparer.Ordinal)];
        }
    }
}
