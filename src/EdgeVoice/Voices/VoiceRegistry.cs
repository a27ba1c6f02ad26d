using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeVoice.Text;
using EdgeVoice.Voices.Espeak;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Voices;

/// <summary>A voice as <c>info</c> and <c>edgevoice voices</c> list it.</summary>
internal sealed record VoiceInfo(string Name, string Engine, string Language, int SampleRate, string Provider, double WarmUpMs);

/// <summary>
/// Finds the voice a request names. The built-in <c>espeak</c> voice speaks with
/// <c>Voices:EspeakVoice</c>; <c>espeak:NAME</c> picks any other espeak-ng voice (<c>espeak:de</c>,
/// <c>espeak:cmn</c>).
/// </summary>
internal sealed partial class VoiceRegistry
{
    public const string BuiltInName = "espeak";
    private const string EspeakPrefix = "espeak:";

    private readonly EspeakLibrary _espeak;
    private readonly VoicesOptions _options;
    private readonly ILogger<VoiceRegistry> _logger;
    private readonly ConcurrentDictionary<string, IVoice> _voices = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, double> _warmUpMs = new(StringComparer.OrdinalIgnoreCase);

    public VoiceRegistry(EspeakLibrary espeak, IOptions<VoicesOptions> options, ILogger<VoiceRegistry> logger)
    {
        _espeak = espeak;
        _options = options.Value;
        _logger = logger;
    }

    public string DefaultName => _options.Default;

    /// <summary>Finds a voice by name (the default when <paramref name="name"/> is null).</summary>
    public bool TryResolve(string? name, out IVoice voice, out string error)
    {
        var wanted = string.IsNullOrWhiteSpace(name) ? _options.Default : name.Trim();
        if (_voices.TryGetValue(wanted, out voice!))
        {
            error = string.Empty;
            return true;
        }

        string? espeakVoice = null;
        if (wanted.Equals(BuiltInName, StringComparison.OrdinalIgnoreCase))
        {
            espeakVoice = _options.EspeakVoice;
        }
        else if (wanted.StartsWith(EspeakPrefix, StringComparison.OrdinalIgnoreCase) && wanted.Length > EspeakPrefix.Length)
        {
            espeakVoice = wanted[EspeakPrefix.Length..];
        }

        if (espeakVoice is null || !_espeak.HasVoice(espeakVoice))
        {
            error = $"no voice named '{wanted}'; installed: {BuiltInName} (and {EspeakPrefix}NAME for any espeak-ng voice)";
            return false;
        }

        voice = _voices.GetOrAdd(wanted, key => new EspeakVoice(key, espeakVoice, _options.EspeakRate, _espeak));
        error = string.Empty;
        return true;
    }

    /// <summary>Loads the default voice and synthesises one short phrase, so the first request is as fast as the rest.</summary>
    public void WarmUp()
    {
        var watch = Stopwatch.StartNew();
        _espeak.EnsureInitialized();
        if (!TryResolve(null, out var voice, out var error))
        {
            throw new InvalidOperationException($"Voices:Default is not usable: {error}.");
        }

        voice.Synthesize(new TextChunk(0, "Ready.", 0, 6, ChunkBoundary.End), CancellationToken.None);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        _warmUpMs[voice.Name] = elapsed;
        Log.WarmedUp(_logger, voice.Name, voice.Engine, _espeak.Version, elapsed);
    }

    public IReadOnlyList<VoiceInfo> List() =>
        [.. _voices.Values
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .Select(v => new VoiceInfo(v.Name, v.Engine, v.Language, v.Format.SampleRate, v.Provider, _warmUpMs.GetValueOrDefault(v.Name)))];

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Voice '{Voice}' ({Engine} {Version}) warmed up in {Milliseconds:F0} ms")]
        public static partial void WarmedUp(ILogger logger, string voice, string engine, string version, double milliseconds);
    }
}
