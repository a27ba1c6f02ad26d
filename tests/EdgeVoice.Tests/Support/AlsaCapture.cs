using System.Runtime.InteropServices;

namespace EdgeVoice.Tests.Support;

/// <summary>
/// Real libasound with no sound card: ALSA's stock <c>file</c> PCM (defined in alsa.conf) writes every
/// byte that goes through libasound to a file over the <c>null</c> device, and the test reads it back.
/// No configuration is written and no environment is changed, so tests running in parallel never race
/// a <c>setenv</c> against another thread's <c>getenv</c>.
/// </summary>
internal static class AlsaCapture
{
    /// <summary>An ALSA device name whose output is captured in <paramref name="rawFile"/> (16-bit PCM, no header).</summary>
    public static string Device(string rawFile) => $"file:'{rawFile}',raw";

    public static short[] ReadSamples(string rawFile)
    {
        var bytes = File.ReadAllBytes(rawFile);
        return MemoryMarshal.Cast<byte, short>(bytes).ToArray();
    }
}
