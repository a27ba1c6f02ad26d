using EdgeVoice.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>The Wyoming front-end's registration: the host calls <see cref="AddWyomingFrontend"/> once (its options are bound by the host).</summary>
internal static class WyomingFrontend
{
    /// <summary>The server (idle unless <c>Wyoming:Address</c> is set), its voice list, and the capacity shared with the local lane.</summary>
    public static IServiceCollection AddWyomingFrontend(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<WyomingOptions>, WyomingOptionsValidator>();

        // The zeroconf name defaults to the device name: Mqtt:Device when it is set, else the host name.
        services.AddSingleton<IPostConfigureOptions<WyomingOptions>>(sp => new PostConfigureOptions<WyomingOptions>(Options.DefaultName, wyoming =>
            wyoming.ZeroconfName ??= sp.GetService<IConfiguration>()?["Mqtt:Device"] is { Length: > 0 } device ? device : null));
        services.AddSingleton<WyomingInfo>();
        services.AddSingleton<NetworkCapacity>();
        services.AddSingleton<IRequestObserver>(sp => sp.GetRequiredService<NetworkCapacity>());
        services.AddHostedService<WyomingServer>();
        return services;
    }
}
