using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Core;

/// <summary>The core's registration: request model, admission, queue, playback lane and pipeline.</summary>
internal static class CoreServices
{
    /// <summary>Registers the core; the host adds the lane as a hosted service after the front-ends (it stops before them).</summary>
    public static IServiceCollection AddSpeechCore(this IServiceCollection services)
    {
        services.AddOptions<AdmissionSettings>();
        services.AddSingleton<PipelineHealth>();
        services.AddSingleton<DeviceFeatures>();
        services.AddSingleton<SpeechPipeline>();
        services.AddSingleton<SpeechQueue>();
        services.AddSingleton<SayRequestParser>();
        services.AddSingleton<IRequestEvents, RequestEvents>();
        services.AddSingleton<RequestSpeaker>();
        services.AddSingleton<SpeechWorker>();
        services.AddSingleton<Admission>();
        return services;
    }
}
