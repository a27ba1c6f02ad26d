using EdgeVoice.Telemetry;
using EdgeVoice.Voices;

namespace EdgeVoice.Hosting;

/// <summary>Records each voice's load time in <c>tts.model.load.duration</c>, tagged with its provider and engine cache.</summary>
internal sealed class VoiceLoadMetrics(EdgeVoiceMetrics metrics) : IVoiceLoadListener
{
    public void Loaded(IVoice voice, TimeSpan loadTime) =>
        metrics.ModelLoadDuration.Record(
            loadTime.TotalSeconds, new("voice", voice.Name), new("provider", voice.Provider), new("engine_cache", voice.LoadReport.EngineCache));
}
