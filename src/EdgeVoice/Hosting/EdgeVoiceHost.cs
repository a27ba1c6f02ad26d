using EdgeVoice.Audio;
using EdgeVoice.Audio.Volume;
using EdgeVoice.Inference;
using EdgeVoice.Core;
using EdgeVoice.Frontends.Http;

using EdgeVoice.Core.Journal;

using EdgeVoice.Frontends.Gpio;
using EdgeVoice.Frontends.Mqtt;
using EdgeVoice.Frontends.Mqtt.Hermes;
using EdgeVoice.Frontends.Mqtt.HomeAssistant;
using EdgeVoice.Frontends.Wyoming;
using EdgeVoice.Telemetry;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using EdgeVoice.Voices.GptSoVits;
using EdgeVoice.Voices.Espeak;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace EdgeVoice.Hosting;

/// <summary>
/// The wiring of the daemon in one place. Configuration comes, weakest first, from
/// <c>appsettings.json</c> beside the binary, <c>/etc/edgevoice/appsettings.json</c>, environment
/// variables (<c>EDGEVOICE_Mqtt__Broker</c>), <c>--Section:Key=value</c> arguments, and the plain flags.
/// </summary>
internal static class EdgeVoiceHost
{
    public const string SystemConfigFile = "/etc/edgevoice/appsettings.json";

    /// <param name="configArgs">Arguments of the form <c>--Section:Key=value</c>.</param>
    /// <param name="overrides">Settings from the plain flags (<c>--broker</c>, <c>--sink</c>, …), strongest of all.</param>
    public static HostApplicationBuilder CreateBuilder(string[] configArgs, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "edgevoice",
        });
        builder.Configuration
            .AddJsonFile(SystemConfigFile, optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("EDGEVOICE_")
            .AddCommandLine(configArgs)
            .AddInMemoryCollection(overrides);

        // Logs go to standard error, whatever their level: standard output is for what a verb prints
        // (`edgevoice text`, `voices --json`). Under systemd both reach the journal.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSystemd();
        HostFaults.StopHostOnFault(builder.Services);
        AddEdgeVoice(builder.Services);

        // OTLP, when an endpoint is configured: the same EdgeVoice meter, pushed by OpenTelemetry .NET.
        if (builder.Configuration[$"{TelemetryOptions.Section}:{nameof(TelemetryOptions.OtlpEndpoint)}"] is { Length: > 0 } otlp &&
            Uri.TryCreate(otlp, UriKind.Absolute, out var endpoint))
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(EdgeVoiceMetrics.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = new Uri(endpoint, "v1/metrics");
                    exporter.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds =
                        1000 * Math.Max(1, builder.Configuration.GetValue($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.IntervalSeconds)}", 60));
                }));
        }

        return builder;
    }

    /// <summary>Registers every stage; the order of the hosted services is their start order (and the reverse of their stop order).</summary>
    public static void AddEdgeVoice(IServiceCollection services)
    {
        services.TryAddSingletonTimeProvider();

        // Each section is bound strictly (an unknown key is an error, not silently ignored) and
        // validated at start. The calls are spelled out so the binding source generator sees them.
        services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();
        services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>();
        services.AddOptions<TextOptions>().BindConfiguration(TextOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TextOptions>, TextOptionsValidator>();
        services.AddOptions<VoicesOptions>().BindConfiguration(VoicesOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VoicesOptions>, VoicesOptionsValidator>();
        services.AddOptions<AudioOptions>().BindConfiguration(AudioOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AudioOptions>, AudioOptionsValidator>();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.AddOptions<HermesOptions>().BindConfiguration(HermesOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HermesOptions>, HermesOptionsValidator>();
        services.AddOptions<HomeAssistantOptions>().BindConfiguration(HomeAssistantOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HomeAssistantOptions>, HomeAssistantOptionsValidator>();
        services.AddOptions<SystemdOptions>().BindConfiguration(SystemdOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SystemdOptions>, SystemdOptionsValidator>();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>();
        services.AddOptions<JournalOptions>().BindConfiguration(JournalOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JournalOptions>, JournalOptionsValidator>();
        services.AddOptions<RequestsOptions>().BindConfiguration(RequestsOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RequestsOptions>, RequestsOptionsValidator>();
        services.AddOptions<GptSoVitsOptions>().BindConfiguration(GptSoVitsOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GptSoVitsOptions>, GptSoVitsOptionsValidator>();
        services.AddOptions<WyomingOptions>().BindConfiguration(WyomingOptions.Section, Strict).ValidateOnStart();

        services.AddOptions<GpioOptions>().BindConfiguration(GpioOptions.Section, Strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GpioOptions>, GpioOptionsValidator>();

        services.AddSingleton<EspeakLibrary>();
        services.AddSingleton<SessionFactory>();
        services.AddVoiceEngines();
        services.AddSingleton<IVoiceLoadListener, VoiceLoadMetrics>();
        services.AddSingleton<VolumeControl>();
        services.AddSingleton<IAudioSink>(sp =>
        {
            // The sink first: opening its PCM creates the card's softvol control, if it has one, before the mixer looks for it.
            var sink = AudioSinkFactory.Create(sp);
            var volume = sp.GetRequiredService<VolumeControl>();
            return new GainSink(sink, () => volume.SoftwareGain);
        });
        services.AddSingleton<TextPlanner>();
        services.AddMetrics();
        services.AddSingleton(sp => new EdgeVoiceMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), () => sp.GetRequiredService<SpeechQueue>().Count));
        services.AddSingleton<TelemetryWindow>();
        services.AddSingleton<Readiness>();
        services.AddSingleton(sp => new PrometheusText(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSpeechCore();

        services.AddHostedService<SystemdNotifications>();
        services.AddHostedService<VoiceWarmUp>();

        // The journal's requests go back in the queue once the voices are warm, before READY=1 and before a front-end listens.
        services.AddHostedService(sp => sp.GetRequiredService<JournalReplay>());

        // Front-ends: one line each. They start after the voices and stop after the lane (so its last events go out).
        services.AddMqttFrontend();
        services.AddWyomingFrontend();
        services.AddHttpFrontend();
        services.AddGpioFrontend();

        services.AddHostedService(sp => sp.GetRequiredService<SpeechWorker>());
        services.AddHostedService<TelemetryReporter>();
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>Reads every options section now, so a bad setting stops the start with its message before anything runs.</summary>
    public static void ValidateConfiguration(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<MqttOptions>>().Value;
        _ = services.GetRequiredService<IOptions<HttpOptions>>().Value;
        _ = services.GetRequiredService<IOptions<TextOptions>>().Value;
        _ = services.GetRequiredService<IOptions<VoicesOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AudioOptions>>().Value;
        _ = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
        _ = services.GetRequiredService<IOptions<InferenceOptions>>().Value;
        _ = services.GetRequiredService<IOptions<HermesOptions>>().Value;
        _ = services.GetRequiredService<IOptions<HomeAssistantOptions>>().Value;
        _ = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        _ = services.GetRequiredService<IOptions<SystemdOptions>>().Value;
        _ = services.GetRequiredService<IOptions<WyomingOptions>>().Value;

        _ = services.GetRequiredService<IOptions<JournalOptions>>().Value;
        _ = services.GetRequiredService<IOptions<RequestsOptions>>().Value;

        _ = services.GetRequiredService<IOptions<GpioOptions>>().Value;
    }

    private static void Strict(BinderOptions binder) => binder.ErrorOnUnknownConfiguration = true;
}
