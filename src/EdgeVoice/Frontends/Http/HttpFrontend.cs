using EdgeVoice.Core;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Frontends.Http;

/// <summary>The HTTP front-end's registration: the host calls <see cref="AddHttpFrontend"/> once (its options are bound by the host).</summary>
internal static class HttpFrontend
{
    /// <summary>The server (Kestrel), the OpenAI speech API, the REST mirror and the event stream it serves.</summary>
    public static IServiceCollection AddHttpFrontend(this IServiceCollection services)
    {
        services.AddSingleton<EventStream>();
        services.AddSingleton<IRequestObserver>(sp => sp.GetRequiredService<EventStream>());
        services.AddSingleton<SpeechEndpoint>();
        services.AddSingleton<RestMirror>();
        services.AddSingleton<HttpServer>();
        services.AddHostedService(sp => sp.GetRequiredService<HttpServer>());
        return services;
    }
}
