using EdgeVoice.Audio.Alsa.Native;

namespace EdgeVoice.Audio.Alsa;

/// <summary>A libasound call failed; the message carries ALSA's own text for the error.</summary>
internal sealed class AlsaException : Exception
{
    public AlsaException(string operation, int error)
        : base($"{operation} failed: {LibAsound.Describe(error)} ({error})")
    {
        Error = error;
    }

    public AlsaException(string message)
        : base(message)
    {
    }

    public AlsaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The negative errno returned by libasound.</summary>
    public int Error { get; }

    /// <summary>Throws when <paramref name="result"/> is negative; returns it otherwise.</summary>
    public static int Check(int result, string operation) =>
        result < 0 ? throw new AlsaException(operation, result) : result;
}
