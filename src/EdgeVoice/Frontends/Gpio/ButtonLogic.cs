namespace EdgeVoice.Frontends.Gpio;

/// <summary>What a button did.</summary>
internal enum ButtonAction
{
    /// <summary>Pressed down (reported at once, on the edge).</summary>
    Press,

    /// <summary>Pressed again soon after the last press (also reported as a press).</summary>
    DoublePress,

    /// <summary>Still down after the hold time.</summary>
    Hold,
}

/// <summary>
/// Turns a button line's edges into presses, double presses and holds: edges within the debounce time of the
/// last accepted one are bounce; a press is reported on the edge itself (no waiting), a hold by a timer.
/// </summary>
internal sealed class ButtonLogic(ButtonLineOptions options, TimeProvider time, Action<ButtonAction> act) : IDisposable
{
    private readonly Lock _gate = new();
    private long? _lastEdge;
    private long? _lastPress;
    private bool _down;
    private ITimer? _hold;

    /// <summary>An edge of the line: <paramref name="pressed"/> is true when it went to its active level.</summary>
    public void Edge(bool pressed)
    {
        var actions = new List<ButtonAction>(2);
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if ((_lastEdge is { } last && time.GetElapsedTime(last, now).TotalMilliseconds < options.DebounceMs) || pressed == _down)
            {
                return;
            }

            _lastEdge = now;
            _down = pressed;
            _hold?.Dispose();
            _hold = null;
            if (!pressed)
            {
                return;
            }

            actions.Add(ButtonAction.Press);
            if (_lastPress is { } previous && time.GetElapsedTime(previous, now).TotalMilliseconds <= options.DoublePressMs)
            {
                actions.Add(ButtonAction.DoublePress);
                _lastPress = null;
            }
            else
            {
                _lastPress = now;
            }

            _hold = time.CreateTimer(_ => Held(now), null, TimeSpan.FromMilliseconds(options.HoldMs), Timeout.InfiniteTimeSpan);
        }

        foreach (var action in actions)
        {
            act(action);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _hold?.Dispose();
            _hold = null;
        }
    }

    private void Held(long pressedAt)
    {
        lock (_gate)
        {
            if (!_down || _lastEdge != pressedAt)
            {
                return;
            }
        }

        act(ButtonAction.Hold);
    }
}
