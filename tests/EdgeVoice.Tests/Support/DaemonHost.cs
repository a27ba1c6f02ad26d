using EdgeVoice.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Tests.Support;

/// <summary>The daemon's real host, started in-process with test settings layered over the defaults.</summary>
internal sealed class DaemonHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DaemonHost(IHost host, string device)
    {
        _host = host;
        Device = device;
    }

    public string Device { get; }

    public string BaseTopic => $"edgevoice/{Device}";

    public IServiceProvider Services => _host.Services;

    public static async Task<DaemonHost> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null, string? device = null)
    {
        device ??= "test-" + Guid.NewGuid().ToString("N")[..8];
        var all = new Dictionary<string, string?>(settings) { ["Mqtt:Device"] = device };
        all.TryAdd("Journal:Directory", JournalDirectory(device));
        all.TryAdd("Mqtt:ReconnectMinMs", "100");
        all.TryAdd("Mqtt:ReconnectMaxMs", "1000");
        all.TryAdd("Audio:VolumeFile", Path.Combine(Path.GetTempPath(), $"edgevoice-volume-{device}")); // each daemon its own volume
        var builder = EdgeVoiceHost.CreateBuilder([], all);
        if (Environment.GetEnvironmentVariable("EDGEVOICE_TEST_LOGS") != "1")
        {
            builder.Logging.ClearProviders();
        }
        services?.Invoke(builder.Services);
        var host = builder.Build();
        EdgeVoiceHost.ValidateConfiguration(host.Services);
        await host.StartAsync();
        return new DaemonHost(host, device);
    }

    /// <summary>Each device its own journal, kept across restarts of the same device (as under systemd's StateDirectory).</summary>
    public static string JournalDirectory(string device) => Path.Combine(Path.GetTempPath(), "edgevoice-journal", device);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
