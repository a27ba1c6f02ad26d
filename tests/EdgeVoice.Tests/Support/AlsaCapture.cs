using System.Runtime.InteropServices;

namespace EdgeVoice.Tests.Support;

/// <summary>
/// Real libasound with no sound card: an asoundrc, written by the tests, defines a PCM that uses
/// ALSA's <c>file</c> plugin over the <c>null</c> device, so every byte written through libasound
/// lands in a file the test reads back.
/// </summary>
internal static partial class AlsaCapture
{
    private static readonly Lazy<string> Config = new(WriteConfig);

    /// <summary>An ALSA device name whose output is captured in <paramref name="rawFile"/> (16-bit PCM, no header).</summary>
    public static string Device(string rawFile)
    {
        _ = Config.Value;
        return $"edgevoice_capture:'{rawFile}'";
    }

    public static short[] ReadSamples(string rawFile)
    {
        var bytes = File.ReadAllBytes(rawFile);
        return MemoryMarshal.Cast<byte, short>(bytes).ToArray();
    }

    private static string WriteConfig()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgevoice-asoundrc-{Environment.ProcessId}");
        File.WriteAllText(path, """
            pcm.edgevoice_capture {
                @args [ FILE ]
                @args.FILE { type string }
                type file
                slave.pcm "null"
                file $FILE
                format "raw"
            }
            """);

        // libasound reads ALSA_CONFIG_PATH from the native environment, which
        // Environment.SetEnvironmentVariable does not change on Linux.
        var configs = $"/usr/share/alsa/alsa.conf:{path}";
        if (SetEnv("ALSA_CONFIG_PATH", configs, 1) != 0)
        {
            throw new InvalidOperationException("setenv(ALSA_CONFIG_PATH) failed.");
        }

        return path;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
