using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>The Wyoming server for Home Assistant Assist (configuration section <c>Wyoming</c>); off unless <see cref="Address"/> is set.</summary>
internal sealed class WyomingOptions
{
    public const string Section = "Wyoming";

    /// <summary>
    /// <c>tcp://HOST:PORT</c> the Wyoming server listens on (<c>tcp://0.0.0.0:10200</c> for every interface).
    /// Empty: no Wyoming server.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>Advertise the server on the local network (mDNS <c>_wyoming._tcp</c>) so Home Assistant discovers it.</summary>
    public bool Zeroconf { get; set; } = true;

    /// <summary>Instance name of the zeroconf advertisement. Default: the device name (<c>Mqtt:Device</c> when set, else the host name).</summary>
    public string? ZeroconfName { get; set; }

    /// <summary>Clients connected at once; one more is answered with an error and closed.</summary>
    public int MaxConnections { get; set; } = 16;

    /// <summary>Network syntheses (all clients together) running at once; the local lane never waits for them.</summary>
    public int MaxConcurrentSyntheses { get; set; } = 2;

    /// <summary>Largest event header line and largest <c>data_length</c>, in bytes.</summary>
    public int MaxDataBytes { get; set; } = 256 * 1024;

    /// <summary>Largest <c>payload_length</c> a client may send, in bytes.</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>A connection with nothing to do (no event received, no synthesis running) for this many seconds is closed.</summary>
    public int IdleTimeoutSeconds { get; set; } = 60;

    /// <summary>A client that takes nothing of what is sent to it for this many seconds is dropped (and its synthesis stopped).</summary>
    public int SendTimeoutSeconds { get; set; } = 10;

    /// <summary>Samples in one <c>audio-chunk</c> event.</summary>
    public int SamplesPerChunk { get; set; } = 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(Address);

    /// <summary>Accepts <c>tcp://HOST:PORT</c> and <c>HOST:PORT</c>; HOST is an IP address (0.0.0.0 or :: for every interface).</summary>
    public static bool TryParseAddress(string text, out System.Net.IPEndPoint endpoint, out string error)
    {
        endpoint = null!;
        var value = text.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            value = "tcp://" + value;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !uri.Scheme.Equals("tcp", StringComparison.OrdinalIgnoreCase) ||
            uri.IsDefaultPort || uri.Port is < 0 or > 65535 || uri.AbsolutePath is not ("" or "/"))
        {
            error = $"'{text}' is not a Wyoming address; use tcp://HOST:PORT (tcp://0.0.0.0:10200).";
            return false;
        }

        if (!System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip))
        {
            error = $"'{text}': the host must be an IP address (0.0.0.0 for every interface, 127.0.0.1 for this machine only).";
            return false;
        }

        endpoint = new System.Net.IPEndPoint(ip, uri.Port);
        error = string.Empty;
        return true;
    }

    internal static string HostName()
    {
        var name = Environment.MachineName;
        var clean = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? char.ToLowerInvariant(c) : '-')]).Trim('-');
        return clean.Length == 0 ? "edgevoice" : clean;
    }
}

internal sealed class WyomingOptionsValidator : IValidateOptions<WyomingOptions>
{
    public ValidateOptionsResult Validate(string? name, WyomingOptions options)
    {
        var failures = new List<string>();
        if (options.Enabled && !WyomingOptions.TryParseAddress(options.Address!, out _, out var error))
        {
            failures.Add($"Wyoming:Address {error}");
        }

        if (options.ZeroconfName is { } instance && (instance.Trim().Length == 0 || System.Text.Encoding.UTF8.GetByteCount(instance) > 63 || instance.Any(char.IsControl)))
        {
            failures.Add($"Wyoming:ZeroconfName must be 1 to 63 bytes of printable text (got '{instance}').");
        }

        Check(options.MaxConnections, 1, 1024, "MaxConnections");
        Check(options.MaxConcurrentSyntheses, 1, 64, "MaxConcurrentSyntheses");
        Check(options.MaxDataBytes, 1024, 16 * 1024 * 1024, "MaxDataBytes");
        Check(options.MaxPayloadBytes, 0, 16 * 1024 * 1024, "MaxPayloadBytes");
        Check(options.IdleTimeoutSeconds, 1, 86_400, "IdleTimeoutSeconds");
        Check(options.SendTimeoutSeconds, 1, 3600, "SendTimeoutSeconds");
        Check(options.SamplesPerChunk, 64, 65_536, "SamplesPerChunk");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(int value, int min, int max, string key)
        {
            if (value < min || value > max)
            {
                failures.Add($"Wyoming:{key} must be between {min} and {max} (got {value}).");
            }
        }
    }
}
