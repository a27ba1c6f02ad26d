using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeVoice.Audio;
using EdgeVoice.Frontends.Mqtt;
using EdgeVoice.Voices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Hosting;

/// <summary>A setting names something the daemon cannot use; the message is one sentence naming the key.</summary>
internal sealed class StartupException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// What the daemon checks after the configuration's values and before anything runs: that the files
/// and folders the settings name can be used (the sink's folder, the MQTT certificates, the voices
/// folder). A failure is a <see cref="StartupException"/> naming the key; the detail goes to the log at Debug.
/// </summary>
internal static partial class StartupChecks
{
    public static void Run(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupChecks).FullName!);
        Check(logger, SinkKey(services.GetRequiredService<IOptions<AudioOptions>>().Value), () => services.GetRequiredService<IAudioSink>());

        var mqtt = services.GetRequiredService<IOptions<MqttOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(mqtt.CaFile))
        {
            Check(logger, $"Mqtt:CaFile '{mqtt.CaFile}'", () => X509CertificateLoader.LoadCertificateFromFile(mqtt.CaFile).Dispose());
        }

        if (!string.IsNullOrWhiteSpace(mqtt.ClientCertificateFile) && !string.IsNullOrWhiteSpace(mqtt.ClientKeyFile))
        {
            Check(logger, $"Mqtt:ClientCertificateFile '{mqtt.ClientCertificateFile}' with Mqtt:ClientKeyFile '{mqtt.ClientKeyFile}'",
                () => X509Certificate2.CreateFromPemFile(mqtt.ClientCertificateFile, mqtt.ClientKeyFile).Dispose());
        }

        var voices = Path.GetFullPath(services.GetRequiredService<IOptions<VoicesOptions>>().Value.Directory);
        if (Directory.Exists(voices))
        {
            Check(logger, $"Voices:Directory '{voices}'", () => _ = Directory.EnumerateFileSystemEntries(voices).Any());
        }
    }

    private static string SinkKey(AudioOptions audio) =>
        audio.ParsedSink is { Kind: SinkKind.Wav, Target: not null } ? $"Audio:Sink '{audio.Sink}'" : $"Audio:WavDirectory '{audio.WavDirectory}' (or Audio:Sink '{audio.Sink}')";

    private static void Check(ILogger logger, string setting, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or AudioDeviceUnavailableException)
        {
            Log.Unusable(logger, setting, e);
            throw new StartupException($"{setting} cannot be used: {FirstSentence(e.Message)}", e);
        }
    }

    private static string FirstSentence(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1090, Level = LogLevel.Debug, Message = "Start-up check failed for {Setting}")]
        public static partial void Unusable(ILogger logger, string setting, Exception exception);
    }
}
