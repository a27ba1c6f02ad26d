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
/// last accepted one are bounce (the level they leave is taken once the debounce time is over, so a release
/// that ends inside it is not lost); a press is reported on the edge itself (no waiting), a hold by a timer.
/// </summary>
internal sealed class ButtonLogic(ButtonLineOptions options, TimeProvider time, Action<ButtonAction> act) : IDisposable
{
    private readonly Lock _gate = new();
    private long? _lastEdge;
    private long? _lastPress;
    private bool _down;
    private ITimer? _hold;
    private ITimer? _settle;
    private bool? _bounced;

    /// <summary>An edge of the line: <paramref name="pressed"/> is true when it went to its active level.</summary>
    public void Edge(bool pressed) => Edge(pressed, settling: false);

    private void Edge(bool pressed, bool settling)
    {
        var actions = new List<ButtonAction>(2);
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (!settling && _lastEdge is { } last && time.GetElapsedTime(last, now).TotalMilliseconds < options.DebounceMs)
            {
                // Bounce: remember where the line was left, and look again when the debounce time is over.
                _bounced = pressed;
                _settle ??= time.CreateTimer(_ => Settle(), null, TimeSpan.FromMilliseconds(options.DebounceMs) - time.GetElapsedTime(last, now), Timeout.InfiniteTimeSpan);
                return;
            }

            if (pressed == _down)
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
            _settle?.Dispose();
            _settle = null;
        }
    }

    private void Settle()
    {
        bool? level;
        lock (_gate)
        {
            (level, _bounced) = (_bounced, null);
            _settle?.Dispose();
            _settle = null;
        }

        if (level is { } pressed)
        {
            Edge(pressed, settling: true);
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
