namespace EdgeVoice.Audio;

/// <summary>Where samples leave the process: a sound device, a file, a stream.</summary>
internal interface IAudioSink : IDisposable
{
    /// <summary>What the sink writes to, for logs and events (<c>alsa:default</c>, <c>wav:/var/lib/edgevoice/audio</c>).</summary>
    string Description { get; }

    /// <summary>Starts one utterance. Throws <see cref="AudioDeviceUnavailableException"/> when the output cannot be opened.</summary>
    IPlayback Begin(string utteranceId, AudioFormat format);
}

/// <summary>One utterance being played. Disposing it without <see cref="Finish"/> stops it at once.</summary>
internal interface IPlayback : IDisposable
{
    /// <summary>Hands samples to the output; blocks while the output is full, so a slow speaker slows its producer.</summary>
    void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken);

    /// <summary>Waits until every sample written has been played (or stored).</summary>
    void Finish();

    /// <summary>Buffer underruns recovered during this utterance.</summary>
    int Underruns { get; }

    /// <summary>How long samples written now take to be heard (the device's buffered audio); zero for files.</summary>
    TimeSpan Delay => TimeSpan.Zero;
}

/// <summary>The output cannot be used: no such device, busy, unplugged, or its folder cannot be written.</summary>
internal sealed class AudioDeviceUnavailableException : Exception
{
    public AudioDeviceUnavailableException(string message)
        : base(message)
    {
    }

    public AudioDeviceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
