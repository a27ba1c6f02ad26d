using EdgeVoice.Audio;
using EdgeVoice.Text;

using EdgeVoice.Core.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Core;

/// <summary>The core's registration: request model, admission, queue, playback lane and pipeline.</summary>
internal static class CoreServices
{
    /// <summary>Registers the core; the host adds the lane as a hosted service after the front-ends (it stops before them).</summary>
    public static IServiceCollection AddSpeechCore(this IServiceCollection services)
    {
        services.AddOptions<AdmissionSettings>();
        services.AddSingleton<PipelineHealth>();
        // The local speaker is made on first use: a one-shot verb plays to a sink of its own (UtteranceOptions.Sink).
        services.AddSingleton(sp => new SpeechPipeline(
            new DeferredSink(sp.GetRequiredService<IAudioSink>),
            sp.GetRequiredService<IOptions<TextOptions>>(),
            sp.GetRequiredService<IOptions<AudioOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<PipelineHealth>()));
        services.AddSingleton<DeviceFeatures>();
        services.AddSingleton<SpeechQueue>();
        services.AddSingleton<SayRequestParser>();
        services.AddSingleton<RequestJournal>();
        services.AddSingleton<IRequestObserver>(sp => sp.GetRequiredService<RequestJournal>());
        services.AddSingleton<IDeliveryReceipts>(sp => sp.GetRequiredService<RequestJournal>());
        services.AddSingleton<JournalReplay>();
        services.AddSingleton<IRequestEvents, RequestEvents>();
        services.AddSingleton<RequestSpeaker>();
        services.AddSingleton<SpeechWorker>();
        services.AddSingleton<Admission>();
        return services;
    }
}
