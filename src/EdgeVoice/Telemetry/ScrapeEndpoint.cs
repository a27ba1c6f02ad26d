using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Telemetry;

/// <summary>Whether the daemon can take requests: voices loaded and the broker connected.</summary>
internal sealed class Readiness
{
    private int _voices;
    private int _broker;

    public bool VoicesReady
    {
        get => Volatile.Read(ref _voices) == 1;
        set => Volatile.Write(ref _voices, value ? 1 : 0);
    }

    public bool BrokerConnected
    {
        get => Volatile.Read(ref _broker) == 1;
        set => Volatile.Write(ref _broker, value ? 1 : 0);
    }

    public bool Ready => VoicesReady && BrokerConnected;
}

/// <summary>
/// The scrape endpoint on <c>Telemetry:MetricsAddress</c> (loopback by default; off when empty):
/// <c>/metrics</c> (Prometheus text), <c>/healthz</c> (the process answers) and <c>/readyz</c> (voices
/// loaded and the broker connected).
/// </summary>
internal sealed partial class ScrapeEndpoint(PrometheusText metrics, Readiness readiness, IOptions<TelemetryOptions> options, ILogger<ScrapeEndpoint> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var address = options.Value.MetricsAddress;
        if (string.IsNullOrWhiteSpace(address))
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{address}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            Log.CannotListen(logger, address, e.Message);
            return;
        }

        Log.Listening(logger, address);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break; // stopped
            }

            await AnswerAsync(context).ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var (status, body, type) = context.Request.Url?.AbsolutePath switch
        {
            "/metrics" => (200, metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"),
            "/healthz" => (200, "ok\n", "text/plain"),
            "/readyz" => readiness.Ready ? (200, "ready\n", "text/plain") : (503, $"not ready: voices {(readiness.VoicesReady ? "loaded" : "loading")}, broker {(readiness.BrokerConnected ? "connected" : "not connected")}\n", "text/plain"),
            _ => (404, "not found: /metrics, /healthz, /readyz\n", "text/plain"),
        };
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = type;
        context.Response.ContentLength64 = bytes.Length;
        try
        {
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Close();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Metrics on http://{Address}/metrics (also /healthz, /readyz)")]
        public static partial void Listening(ILogger logger, string address);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "The scrape endpoint cannot listen on {Address}: {Reason}")]
        public static partial void CannotListen(ILogger logger, string address, string reason);
    }
}
