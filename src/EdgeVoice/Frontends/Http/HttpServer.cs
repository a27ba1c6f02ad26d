using System.Security.Cryptography;
using System.Text;
using EdgeVoice.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Http;

/// <summary>
/// Kestrel on <c>Http:Address</c>, inside the daemon's host: a small web application of its own (no
/// configuration sources, no lifetime of its own, the daemon's logging) started after the voices are
/// warm, so systemd's READY means the port answers, and stopped after the lane. Serves the OpenAI
/// speech API, the REST mirror, and <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>.
/// </summary>
internal sealed partial class HttpServer(
    SpeechEndpoint speech,
    RestMirror mirror,
    PrometheusText metrics,
    Readiness readiness,
    IOptions<HttpOptions> options,
    IOptions<TelemetryOptions> telemetry,
    IConfiguration configuration,
    ILoggerFactory loggers,
    ILogger<HttpServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where it listens: <c>Http:Address</c>, else the deprecated <c>Telemetry:MetricsAddress</c> when only that is set.</summary>
    public string? Address
    {
        get
        {
            if (configuration.GetSection(HttpOptions.Section)[nameof(HttpOptions.Address)] is null && telemetry.Value.MetricsAddress is { Length: > 0 } old)
            {
                return old;
            }

            return string.IsNullOrWhiteSpace(options.Value.Address) ? null : options.Value.Address;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = Address;
        if (telemetry.Value.MetricsAddress is { Length: > 0 } deprecated)
        {
            Log.Deprecated(logger, deprecated, address ?? "off");
        }

        if (address is null || !HttpAddress.TryParse(address, out var endpoint))
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "edgevoice", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // its start failure is reported below, once
        builder.Services.AddSingleton<IHostLifetime, NoLifetime>();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (endpoint.Localhost)
            {
                kestrel.ListenLocalhost(endpoint.Port);
            }
            else if (endpoint.Ip is null)
            {
                kestrel.ListenAnyIP(endpoint.Port);
            }
            else
            {
                kestrel.Listen(endpoint.Ip, endpoint.Port);
            }
        });

        var app = builder.Build();
        app.Use(AuthorizeAsync);
        app.MapPost("/v1/audio/speech", speech.SpeakAsync);
        app.MapGet("/v1/audio/voices", speech.VoicesAsync);
        app.MapGet("/v1/models", SpeechEndpoint.ModelsAsync);
        app.MapPost("/v1/say", mirror.SayAsync);
        app.MapPost("/v1/cancel", mirror.CancelAsync);
        app.MapPost("/v1/stop", mirror.StopAsync);
        app.MapGet("/v1/events", mirror.EventsAsync);
        app.MapGet("/metrics", context => TextAsync(context, 200, metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet("/healthz", context => TextAsync(context, 200, "ok\n", "text/plain"));
        app.MapGet("/readyz", context => readiness.Ready
            ? TextAsync(context, 200, "ready\n", "text/plain")
            : TextAsync(context, 503, $"not ready: voices {(readiness.VoicesReady ? "loaded" : "loading")}, broker {(readiness.BrokerConnected ? "connected" : "not connected")}\n", "text/plain"));
        app.MapFallback(context => context.Request.Path.StartsWithSegments("/v1")
            ? OpenAiErrors.WriteAsync(context, 404, $"no such endpoint: {context.Request.Method} {context.Request.Path}", code: "unknown_url")
            : TextAsync(context, 404, "not found: /v1/audio/speech, /v1/say, /v1/events, /metrics, /healthz, /readyz\n", "text/plain"));

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            // Like a broker that cannot be reached, a port that cannot be had does not stop the daemon: MQTT still works.
            Log.CannotListen(logger, address, e.Message);
            await app.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _app = app;
        Log.Listening(logger, address, options.Value.ApiKey is { Length: > 0 } ? "a bearer token" : "no token");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>With <c>Http:ApiKey</c> set, every <c>/v1/*</c> request must carry it as a bearer token.</summary>
    private Task AuthorizeAsync(HttpContext context, RequestDelegate next)
    {
        if (options.Value.ApiKey is not { Length: > 0 } key || !context.Request.Path.StartsWithSegments("/v1"))
        {
            return next(context);
        }

        var given = context.Request.Headers.Authorization.ToString();
        var expected = "Bearer " + key;
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return OpenAiErrors.WriteAsync(context, 401, given.Length == 0 ? "no API key given: send Authorization: Bearer <Http:ApiKey>" : "the API key is not the one configured (Http:ApiKey)", code: "invalid_api_key");
    }

    private static async Task TextAsync(HttpContext context, int status, string body, string type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = type;
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The web application answers to the daemon's host: it neither handles signals nor notifies systemd.</summary>
    private sealed class NoLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The web application's logs go to the daemon's loggers.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "HTTP on http://{Address}: /v1/audio/speech, /v1/say, /v1/events, /metrics, /healthz, /readyz ({Auth})")]
        public static partial void Listening(ILogger logger, string address, string auth);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "The HTTP server cannot listen on {Address}: {Reason}")]
        public static partial void CannotListen(ILogger logger, string address, string reason);

        [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Telemetry:MetricsAddress ({Old}) is deprecated: the HTTP server serves /metrics on Http:Address (now {Address}); set that instead")]
        public static partial void Deprecated(ILogger logger, string old, string address);
    }
}
