using EdgeVoice.Audio;

namespace EdgeVoice.Frontends.Gpio;

/// <summary>
/// The amplifier's enable line and the speaking LED, driven by the local sink: on when an utterance begins, the
/// first sample held back until the amplifier has been on for its lead time, off the hold time after the last.
/// </summary>
internal sealed class Amplifier(AmplifierLineOptions options, TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private ISwitch? _enable;
    private ISwitch? _speakingLed;
    private long _onSince;
    private bool _on;
    private int _playing;
    private ITimer? _off;

    /// <summary>The lines to drive; either may be null (not fitted or not opened).</summary>
    public void Attach(ISwitch? enable, ISwitch? speakingLed)
    {
        lock (_gate)
        {
            (_enable, _speakingLed) = (enable, speakingLed);
        }
    }

    /// <summary>An utterance begins: the amplifier on (if it was off), the LED on.</summary>
    public void Begin()
    {
        lock (_gate)
        {
            _playing++;
            _off?.Dispose();
            _off = null;
            _speakingLed?.Set(true);
            if (!_on && _enable is { } enable)
            {
                enable.Set(true);
                _on = true;
                _onSince = time.GetTimestamp();
            }
        }
    }

    /// <summary>Blocks until the amplifier has been on for its lead time (called before the first sample is handed on).</summary>
    public void WaitUntilWarm(CancellationToken cancellationToken)
    {
        TimeSpan remaining;
        lock (_gate)
        {
            remaining = _on ? TimeSpan.FromMilliseconds(options.LeadMs) - time.GetElapsedTime(_onSince) : TimeSpan.Zero;
        }

        if (remaining > TimeSpan.Zero)
        {
            Task.Delay(remaining, time, cancellationToken).GetAwaiter().GetResult();
        }
    }

    /// <summary>An utterance ended: the LED off, and the amplifier off after the hold time unless another begins.</summary>
    public void End()
    {
        lock (_gate)
        {
            if (--_playing > 0)
            {
                return;
            }

            _speakingLed?.Set(false);
            if (_on)
            {
                _off = time.CreateTimer(_ => SwitchOff(), null, TimeSpan.FromMilliseconds(options.HoldMs), Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _off?.Dispose();
            _off = null;
        }
    }

    private void SwitchOff()
    {
        lock (_gate)
        {
            if (_playing > 0 || !_on)
            {
                return;
            }

            _enable?.Set(false);
            _on = false;
        }
    }
}

/// <summary>The local sink with the amplifier (and the speaking LED) switched around each utterance.</summary>
internal sealed class AmplifierSink(IAudioSink inner, Amplifier amplifier) : IAudioSink
{
    public string Description => inner.Description;

    public IPlayback Begin(string utteranceId, AudioFormat format)
    {
        amplifier.Begin();
        try
        {
            return new Playback(inner.Begin(utteranceId, format), amplifier);
        }
        catch
        {
            amplifier.End();
            throw;
        }
    }

    public void Dispose() => inner.Dispose();

    private sealed class Playback(IPlayback inner, Amplifier amplifier) : IPlayback
    {
        private bool _warm;
        private bool _ended;

        public int Underruns => inner.Underruns;

        public TimeSpan Delay => inner.Delay;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            if (!_warm)
            {
                amplifier.WaitUntilWarm(cancellationToken);
                _warm = true;
            }

            inner.Write(samples, cancellationToken);
        }

        public void Finish() => inner.Finish();

        public void Dispose()
        {
            inner.Dispose();
            if (!_ended)
            {
                _ended = true;
                amplifier.End();
            }
        }
    }
}
