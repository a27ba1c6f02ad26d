using EdgeVoice.Inference;
using EdgeVoice.Voices.Espeak;
using EdgeVoice.Voices.GptSoVits;
using EdgeVoice.Voices.Piper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Voices;

/// <summary>The voice engines this version runs. A new engine is one <see cref="IVoiceEngine"/> and one line here.</summary>
internal static class VoiceEngines
{
    /// <summary>Registers every engine and the registry that looks them up by name.</summary>
    public static IServiceCollection AddVoiceEngines(this IServiceCollection services)
    {
        services.AddSingleton<IVoiceEngine, EspeakEngine>();
        services.AddSingleton<IVoiceEngine, PiperEngine>();
        services.AddSingleton<IVoiceEngine, GptSoVitsEngine>();
        services.AddSingleton<VoiceRegistry>();
        return services;
    }

    /// <summary>The same engines without a container (tests and tools).</summary>
    public static IReadOnlyList<IVoiceEngine> Create(
        EspeakLibrary espeak, SessionFactory sessions, VoicesOptions voices, GptSoVitsOptions? gptSoVits = null, ILoggerFactory? logging = null) =>
    [
        new EspeakEngine(espeak, Options.Create(voices)),
        new PiperEngine(sessions, espeak, Options.Create(voices)),
        new GptSoVitsEngine(sessions, espeak, Options.Create(gptSoVits ?? new GptSoVitsOptions()), (logging ?? NullLoggerFactory.Instance).CreateLogger<GptSoVitsEngine>()),
    ];
}

/// <summary>Told of each voice loaded from the voices folder, and how long it took (the load-time metric listens here).</summary>
internal interface IVoiceLoadListener
{
    void Loaded(IVoice voice, TimeSpan loadTime);
}
