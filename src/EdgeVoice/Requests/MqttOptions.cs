using System.Net;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Requests;

/// <summary>How EdgeVoice reaches its broker and names its topics (configuration section <c>Mqtt</c>).</summary>
internal sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>
    /// <c>mqtt://HOST:PORT</c> of the broker. Empty: EdgeVoice runs its own broker on
    /// 127.0.0.1:<see cref="EmbeddedPort"/>, so a fresh machine needs no setup.
    /// </summary>
    public string? Broker { get; set; }

    /// <summary>Port of the embedded broker (loopback only).</summary>
    public int EmbeddedPort { get; set; } = 1883;

    /// <summary>Device name in the topics: <c>&lt;TopicPrefix&gt;/&lt;Device&gt;/say</c>. Default: the host name.</summary>
    public string Device { get; set; } = DefaultDevice();

    public string TopicPrefix { get; set; } = "edgevoice";

    /// <summary>MQTT client id; default <c>edgevoice-&lt;Device&gt;</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>First wait before reconnecting; doubles on each failure up to <see cref="ReconnectMaxMs"/>, with jitter.</summary>
    public int ReconnectMinMs { get; set; } = 500;

    public int ReconnectMaxMs { get; set; } = 30_000;

    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(Broker);

    public string BaseTopic => $"{TopicPrefix}/{Device}";

    public string EffectiveClientId => string.IsNullOrWhiteSpace(ClientId) ? $"edgevoice-{Device}" : ClientId;

    /// <summary>Host and port the client connects to.</summary>
    public (string Host, int Port) Endpoint =>
        UsesEmbeddedBroker
            ? (IPAddress.Loopback.ToString(), EmbeddedPort)
            : TryParseBroker(Broker!, out var host, out var port, out _) ? (host, port) : ("invalid", 0);

    /// <summary>Accepts <c>mqtt://HOST:PORT</c>, <c>mqtt://HOST</c> (port 1883), <c>HOST:PORT</c> and <c>HOST</c>.</summary>
    public static bool TryParseBroker(string text, out string host, out int port, out string error)
    {
        host = string.Empty;
        port = 0;
        var value = text.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            value = "mqtt://" + value;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath is not ("" or "/") || !string.IsNullOrEmpty(uri.Query))
        {
            error = $"'{text}' is not a broker address; use mqtt://HOST:PORT.";
            return false;
        }

        if (!uri.Scheme.Equals("mqtt", StringComparison.OrdinalIgnoreCase) && !uri.Scheme.Equals("tcp", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{text}' uses the scheme '{uri.Scheme}'; use mqtt://HOST:PORT.";
            return false;
        }

        host = uri.Host.Trim('[', ']');
        port = uri.IsDefaultPort || uri.Port < 0 ? 1883 : uri.Port;
        error = string.Empty;
        return true;
    }

    private static string DefaultDevice()
    {
        var name = Environment.MachineName;
        var clean = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? char.ToLowerInvariant(c) : '-')]);
        return clean.Length == 0 ? "edgevoice" : clean;
    }
}

internal sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        var failures = new List<string>();
        if (!options.UsesEmbeddedBroker && !MqttOptions.TryParseBroker(options.Broker!, out _, out _, out var error))
        {
            failures.Add($"Mqtt:Broker {error}");
        }

        if (options.EmbeddedPort is < 1 or > 65535)
        {
            failures.Add($"Mqtt:EmbeddedPort must be between 1 and 65535 (got {options.EmbeddedPort}).");
        }

        CheckTopicLevel(options.Device, "Mqtt:Device", failures);
        foreach (var level in options.TopicPrefix.Split('/'))
        {
            CheckTopicLevel(level, "Mqtt:TopicPrefix", failures);
        }

        if (options.ReconnectMinMs < 10 || options.ReconnectMaxMs < options.ReconnectMinMs)
        {
            failures.Add($"Mqtt:ReconnectMinMs must be at least 10 and Mqtt:ReconnectMaxMs at least as large (got {options.ReconnectMinMs} and {options.ReconnectMaxMs}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTopicLevel(string? value, string key, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value) || value.IndexOfAny(['/', '+', '#', '\0']) >= 0 || value.Any(char.IsWhiteSpace))
        {
            failures.Add($"{key} must be a non-empty topic level without '/', '+', '#' or spaces (got '{value}').");
        }
    }
}
