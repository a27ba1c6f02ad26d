using System.Net;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Frontends.Http;

/// <summary>The HTTP server: the OpenAI speech API, the REST mirror of the MQTT contract, and the scrape endpoints (configuration section <c>Http</c>).</summary>
internal sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>
    /// HOST:PORT to listen on (an IP address, <c>localhost</c>, or <c>*</c> for every interface); empty turns
    /// the server off. Serves <c>/v1/*</c>, <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>. Loopback unless you choose otherwise.
    /// </summary>
    public string Address { get; set; } = "127.0.0.1:8765";

    /// <summary>Bearer token that every <c>/v1/*</c> request must carry (<c>Authorization: Bearer …</c>); empty: none asked for.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Voice names of other servers mapped to EdgeVoice voices (<c>"alloy": "en_US-amy-medium"</c>). OpenAI's
    /// names (<c>alloy</c>, <c>echo</c>, <c>nova</c>, …) not listed here speak with the default voice.
    /// </summary>
    public Dictionary<string, string> VoiceAliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Speech requests streamed to HTTP clients at the same time (beside the local lane); one more is answered 503.</summary>
    public int MaxConcurrentSpeech { get; set; } = 2;
}

internal sealed class HttpOptionsValidator : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Address) && !HttpAddress.TryParse(options.Address, out _))
        {
            failures.Add($"Http:Address must be HOST:PORT with an IP address, localhost or * as the host, such as 127.0.0.1:8765 (got '{options.Address}').");
        }

        if (options.MaxConcurrentSpeech is < 1 or > 64)
        {
            failures.Add($"Http:MaxConcurrentSpeech must be between 1 and 64 (got {options.MaxConcurrentSpeech}).");
        }

        foreach (var (alias, voice) in options.VoiceAliases)
        {
            if (string.IsNullOrWhiteSpace(voice))
            {
                failures.Add($"Http:VoiceAliases:{alias} must name a voice.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>A listening address: an IP address, <c>localhost</c> or every interface, and a port.</summary>
internal readonly record struct HttpAddress(IPAddress? Ip, bool Localhost, int Port)
{
    public static bool TryParse(string text, out HttpAddress address)
    {
        address = default;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        if (host is "*" or "+")
        {
            address = new HttpAddress(null, false, port); // every interface
            return true;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new HttpAddress(null, true, port);
            return true;
        }

        if (IPAddress.TryParse(host, out var ip))
        {
            address = new HttpAddress(ip, false, port);
            return true;
        }

        return false;
    }
}
