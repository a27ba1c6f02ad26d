using System.CommandLine;

namespace EdgeVoice.Cli;

/// <summary>The plain flags shared by the verbs that start EdgeVoice's services, mapped to configuration keys.</summary>
internal sealed class HostFlags
{
    private readonly List<(Option<string?> Option, string Key)> _flags = [];

    private static readonly Dictionary<string, (string Key, string Description)> Known = new(StringComparer.Ordinal)
    {
        ["--broker"] = ("Mqtt:Broker", "Broker as mqtt://HOST:PORT; without it an embedded broker listens on 127.0.0.1."),
        ["--device"] = ("Mqtt:Device", "Device name in the topics edgevoice/<device>/… (default: the host name)."),
        ["--voices"] = ("Voices:Directory", "Folder of installed voices."),
        ["--sink"] = ("Audio:Sink", "auto | alsa:DEVICE | wav:DIR."),
        ["--metrics"] = ("Http:Address", "Serve HTTP (the OpenAI speech API, /v1/say, /metrics, /healthz, /readyz) on HOST:PORT (default 127.0.0.1:8765; empty: off)."),
    };

    public HostFlags(params string[] names)
    {
        foreach (var name in names)
        {
            var (key, description) = Known[name];
            _flags.Add((new Option<string?>(name) { Description = $"{description} (config {key})" }, key));
        }
    }

    public void AddTo(Command command)
    {
        foreach (var (option, _) in _flags)
        {
            command.Options.Add(option);
        }
    }

    public Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        foreach (var (option, key) in _flags)
        {
            if (parse.GetValue(option) is { } value)
            {
                overrides[key] = value;
            }
        }

        return overrides;
    }
}
