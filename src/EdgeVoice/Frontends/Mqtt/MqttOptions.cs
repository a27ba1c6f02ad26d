using System.Net;
using Microsoft.Extensions.Options;
using MQTTnet;

namespace EdgeVoice.Frontends.Mqtt;

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

    /// <summary>First topic level(s); several levels are fine (<c>site/floor2</c>).</summary>
    public string TopicPrefix { get; set; } = "edgevoice";

    /// <summary>MQTT client id; default <c>edgevoice-&lt;Device&gt;</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>First wait before reconnecting; doubles on each failure up to <see cref="ReconnectMaxMs"/>, with jitter.</summary>
    public int ReconnectMinMs { get; set; } = 500;

    /// <summary>Longest wait between reconnection attempts.</summary>
    public int ReconnectMaxMs { get; set; } = 30_000;

    /// <summary>How long the broker keeps this daemon's session (and the requests sent to it) while it is away, in seconds.</summary>
    public uint SessionExpirySeconds { get; set; } = 86_400;

    /// <summary>A request id seen again within this many seconds is a redelivery: it is not spoken twice.</summary>
    public int DuplicateWindowSeconds { get; set; } = 600;

    /// <summary>Address the embedded broker listens on: loopback unless you choose otherwise (0.0.0.0 for every interface).</summary>
    public string EmbeddedBindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// User name every client of the embedded broker must give, this daemon's own included (empty: the
    /// embedded broker accepts any client on its address). Set it together with <see cref="EmbeddedPassword"/>.
    /// </summary>
    public string? EmbeddedUsername { get; set; }

    /// <summary>Password that goes with <see cref="EmbeddedUsername"/>.</summary>
    public string? EmbeddedPassword { get; set; }

    /// <summary>User name for brokers that ask for one (empty: none).</summary>
    public string? Username { get; set; }

    /// <summary>Password that goes with <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>TLS to the broker; also on when <see cref="Broker"/> starts with <c>mqtts://</c>.</summary>
    public bool Tls { get; set; }

    /// <summary>PEM file of the certificate authority that signed the broker's certificate (empty: the system's).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM file of this daemon's client certificate, for brokers that ask for one.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM file of the private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    public bool UsesTls => Tls || (Broker?.TrimStart().StartsWith("mqtts://", StringComparison.OrdinalIgnoreCase) ?? false);

    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(Broker);

    public bool EmbeddedBrokerRequiresLogin => !string.IsNullOrEmpty(EmbeddedUsername);

    /// <summary>
    /// Adds what this daemon presents when it connects: on the embedded broker its login
    /// (<see cref="EmbeddedUsername"/>, or <see cref="Username"/> for a broker that already listens on the
    /// embedded port) and the process token that alone may use <see cref="EffectiveClientId"/>; on any other
    /// broker <see cref="Username"/> and <see cref="Password"/>.
    /// </summary>
    public void ApplyCredentials(MqttClientOptionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var (username, password) = UsesEmbeddedBroker && EmbeddedBrokerRequiresLogin
            ? (EmbeddedUsername, EmbeddedPassword)
            : (Username, Password);
        if (!string.IsNullOrEmpty(username))
        {
            builder.WithCredentials(username, password ?? string.Empty);
        }

        if (UsesEmbeddedBroker)
        {
            builder.WithUserProperty(EmbeddedBroker.DaemonTokenProperty, EmbeddedBroker.DaemonToken);
        }
    }

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

        if (uri.Scheme.ToLowerInvariant() is not ("mqtt" or "mqtts" or "tcp"))
        {
            error = $"'{text}' uses the scheme '{uri.Scheme}'; use mqtt://HOST:PORT (or mqtts:// for TLS).";
            return false;
        }

        host = uri.Host.Trim('[', ']');
        var secure = uri.Scheme.Equals("mqtts", StringComparison.OrdinalIgnoreCase);
        port = uri.IsDefaultPort || uri.Port < 0 ? (secure ? 8883 : 1883) : uri.Port;
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

        if (!System.Net.IPAddress.TryParse(options.EmbeddedBindAddress, out _))
        {
            failures.Add($"Mqtt:EmbeddedBindAddress must be an IP address such as 127.0.0.1 (got '{options.EmbeddedBindAddress}').");
        }

        foreach (var (key, file) in new[] { ("Mqtt:CaFile", options.CaFile), ("Mqtt:ClientCertificateFile", options.ClientCertificateFile), ("Mqtt:ClientKeyFile", options.ClientKeyFile) })
        {
            if (!string.IsNullOrWhiteSpace(file) && !File.Exists(file))
            {
                failures.Add($"{key} '{file}' does not exist.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.ClientCertificateFile) != string.IsNullOrWhiteSpace(options.ClientKeyFile))
        {
            failures.Add("Mqtt:ClientCertificateFile and Mqtt:ClientKeyFile go together: set both or neither.");
        }

        if (string.IsNullOrEmpty(options.EmbeddedUsername) != string.IsNullOrEmpty(options.EmbeddedPassword))
        {
            failures.Add("Mqtt:EmbeddedUsername and Mqtt:EmbeddedPassword go together: set both or neither.");
        }

        if (options.DuplicateWindowSeconds < 0)
        {
            failures.Add($"Mqtt:DuplicateWindowSeconds must be 0 or more (got {options.DuplicateWindowSeconds}).");
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
