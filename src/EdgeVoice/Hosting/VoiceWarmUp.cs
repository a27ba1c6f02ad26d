using EdgeVoice.Voices;
using Microsoft.Extensions.Hosting;

namespace EdgeVoice.Hosting;

/// <summary>Loads, checks and warms the voices before the host reports started (and systemd hears READY=1).</summary>
internal sealed class VoiceWarmUp(VoiceRegistry voices, EdgeVoice.Telemetry.Readiness readiness) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        voices.LoadAll();
        readiness.VoicesReady = true;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
