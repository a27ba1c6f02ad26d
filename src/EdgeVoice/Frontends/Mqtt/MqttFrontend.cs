using EdgeVoice.Core;
using EdgeVoice.Core.Journal;
using EdgeVoice.Frontends.Mqtt.Hermes;
using EdgeVoice.Frontends.Mqtt.HomeAssistant;
using EdgeVoice.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Mqtt;

/// <summary>The MQTT front-end's registration: the host calls <see cref="AddMqttFrontend"/> once (its options are bound by the host).</summary>
internal static class MqttFrontend
{
    /// <summary>
    /// The session, its topic handlers (say, cancel, stop, volume, Hermes, Home Assistant), its announcements,
    /// the outbox, telemetry on MQTT, and the embedded broker (started before the session).
    /// </summary>
    public static IServiceCollection AddMqttFrontend(this IServiceCollection services)
    {
        services.AddOptions<AdmissionSettings>()
            .Configure<IOptions<MqttOptions>>((admission, mqtt) => admission.DuplicateWindow = TimeSpan.FromSeconds(mqtt.Value.DuplicateWindowSeconds));
        services.AddSingleton<MqttOutbox>();

        // How journaled requests of this front-end find their way back after a restart.
        services.AddSingleton<IReplyRouteCodec, MqttReplyRouteCodec>();
        services.AddSingleton<IReplyRouteCodec, HermesReplyRouteCodec>();
        services.AddSingleton<ITelemetryPublisher, MqttTelemetryPublisher>();

        // Subscribed and dispatched in this order; announced in the announcers' order, then "online".
        services.AddSingleton<IMqttTopicHandler, SayHandler>();
        services.AddSingleton<IMqttTopicHandler, CancelHandler>();
        services.AddSingleton<IMqttTopicHandler, StopHandler>();
        services.AddSingleton<VolumeHandler>();
        services.AddSingleton<IMqttTopicHandler>(sp => sp.GetRequiredService<VolumeHandler>());
        services.AddSingleton<IMqttTopicHandler, HermesSayHandler>();
        services.AddSingleton<HomeAssistantBridge>();
        services.AddSingleton<IMqttTopicHandler>(sp => sp.GetRequiredService<HomeAssistantBridge>());
        services.AddSingleton<IMqttAnnouncer, DaemonInfoAnnouncer>();
        services.AddSingleton<IMqttAnnouncer>(sp => sp.GetRequiredService<VolumeHandler>());
        services.AddSingleton<IRequestObserver, DeviceEventPublisher>();
        services.AddSingleton<IMqttAnnouncer>(sp => sp.GetRequiredService<HomeAssistantBridge>());

        services.AddHostedService<EmbeddedBroker>();
        services.AddSingleton<MqttSession>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttSession>());
        return services;
    }
}
