using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeVoice.Hosting;

/// <summary>
/// A background service that failed stops the host (<see cref="BackgroundServiceExceptionBehavior.StopHost"/>);
/// the process must then end with a non-zero exit code, so systemd's <c>Restart=on-failure</c> starts it again.
/// </summary>
internal sealed class HostFaults
{
    /// <summary>Exit code of a daemon stopped by a failed service.</summary>
    public const int ServiceFailed = 1;

    private readonly BackgroundService[] _services;

    /// <summary>Takes note of the host's background services (before it runs: it disposes its services when it stops).</summary>
    public HostFaults(IServiceProvider services) => _services = [.. services.GetServices<IHostedService>().OfType<BackgroundService>()];

    /// <summary>Settles the host's behaviour: a failed background service stops it.</summary>
    public static void StopHostOnFault(IServiceCollection services) =>
        services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);

    /// <summary>
    /// After the host has stopped: <see cref="ServiceFailed"/>, with one line on standard error naming the
    /// service and its fault (the journal under systemd), when a background service failed; else null.
    /// </summary>
    public int? ExitCode()
    {
        foreach (var service in _services)
        {
            if (service.ExecuteTask is { IsFaulted: true } task)
            {
                var error = task.Exception?.GetBaseException();
                Console.Error.WriteLine($"edgevoice: {service.GetType().Name} failed ({error?.GetType().Name}: {error?.Message}); exiting with code {ServiceFailed}.");
                return ServiceFailed;
            }
        }

        return null;
    }
}
