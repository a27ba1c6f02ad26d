using Microsoft.Extensions.DependencyInjection;
using EdgeVoice.Audio.Alsa;
using EdgeVoice.Audio.Wav;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Audio;

/// <summary>Turns <c>Audio:Sink</c> into the sink the daemon plays through.</summary>
internal static partial class AudioSinkFactory
{
    public static IAudioSink Create(AudioOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AudioSinkFactory).FullName!);
        var spec = options.ParsedSink;
        switch (spec.Kind)
        {
            case SinkKind.Wav:
                return Paced(WavFileSink.ToDirectory(spec.Target ?? options.WavDirectory, options.WavKeepFiles, time), options, time);

            case SinkKind.Alsa:
                var alsa = new AlsaSink(spec.Target ?? options.AlsaDevice, options.AlsaLatencyMs, loggers.CreateLogger<AlsaSink>());
                try
                {
                    alsa.Open();
                }
                catch (AudioDeviceUnavailableException e)
                {
                    // An explicit device is kept: it may appear later (a USB speaker plugged in), and
                    // until then every request fails with audio_device_unavailable and this reason.
                    Log.AlsaUnavailable(logger, e.Message);
                }

                return alsa;

            default:
                var device = new AlsaSink(options.AlsaDevice, options.AlsaLatencyMs, loggers.CreateLogger<AlsaSink>());
                try
                {
                    device.Open();
                    return device;
                }
                catch (AudioDeviceUnavailableException e)
                {
                    device.Dispose();
                    var wav = Paced(WavFileSink.ToDirectory(options.WavDirectory, options.WavKeepFiles, time), options, time);
                    Log.FallingBackToWav(logger, e.Message, wav.Description);
                    return wav;
                }
        }
    }

    private static IAudioSink Paced(IAudioSink wav, AudioOptions options, TimeProvider time) => options.WavRealTime ? new RealTimeSink(wav, time) : wav;

    public static IAudioSink Create(IServiceProvider services) =>
        Create(
            services.GetRequiredService<IOptions<AudioOptions>>().Value,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>());

    private static partial class Log
    {
        [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "No sound output ({Reason}); writing WAV files instead: {Sink}")]
        public static partial void FallingBackToWav(ILogger logger, string reason, string sink);

        [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "{Reason}; requests will fail with audio_device_unavailable until it opens")]
        public static partial void AlsaUnavailable(ILogger logger, string reason);
    }
}
