using EdgeVoice.Audio;
using EdgeVoice.Core;
using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using EdgeVoice.Text;
using EdgeVoice.Tools.Bench;
using EdgeVoice.Voices.Piper;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Tools;

/// <summary>The benchmark's mechanics on a fixture voice (its figures are recorded in docs/BENCHMARKS.md, not asserted here).</summary>
public sealed class VoiceBenchmarkTests
{
    [Fact]
    public void Texts_ShortIsTheFirstWordsUpTo50_LongStartsAlikeAndReaches5000()
    {
        var sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "bench-text.txt"));

        var (shortText, longText) = VoiceBenchmark.Texts(sample);

        Assert.InRange(shortText.Length, 40, VoiceBenchmark.ShortChars);
        Assert.StartsWith(shortText, longText, StringComparison.Ordinal);
        Assert.InRange(longText.Length, VoiceBenchmark.LongChars - 30, VoiceBenchmark.LongChars);
    }

    [Fact]
    public async Task Run_PiperVoice_ReportsEveryFigure()
    {
        using var voice = PiperVoice.Load("en_US-test-x_low", TestVoices.PiperModel("en_US-test-x_low"), TestVoices.PiperModel("en_US-test-x_low") + ".json", TestVoices.Sessions(), TestVoices.Espeak, 0.2);
        using var localSpeaker = new PacedSink(pace: 0);
        var pipeline = new SpeechPipeline(localSpeaker, Options.Create(new TextOptions()), Options.Create(new AudioOptions()), TimeProvider.System);
        var benchmark = new VoiceBenchmark(pipeline, Options.Create(new TextOptions()), TestVoices.Sessions());

        var report = await benchmark.RunAsync(voice, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "bench-text.txt")), runs: 1, TextWriter.Null);

        Assert.Equal(12, report.Chunks.Count);
        Assert.All(report.Chunks, c => Assert.True(c.EdgeVoiceMs > 0 && c.BareMs > 0 && c.AudioMs > 0));
        Assert.True(report.ShortFirstAudioMs > 0 && report.LongFirstAudioMs > 0);
        Assert.True(report.ShortPeakRssMb > 10 && report.LongPeakRssMb > 10);
        Assert.Contains("| all |", VoiceBenchmark.Format(report), StringComparison.Ordinal);
        Assert.Empty(localSpeaker.Order); // the benchmark plays into a sink of its own, never the local speaker
    }

    [Fact]
    public async Task Run_StreamedTextWithATimeBound_StopsThereAndReportsItsPeak()
    {
        using var voice = PiperVoice.Load("en_US-test-x_low", TestVoices.PiperModel("en_US-test-x_low"), TestVoices.PiperModel("en_US-test-x_low") + ".json", TestVoices.Sessions(), TestVoices.Espeak, 0.2);
        using var localSpeaker = new PacedSink(pace: 0);
        var pipeline = new SpeechPipeline(localSpeaker, Options.Create(new TextOptions()), Options.Create(new AudioOptions()), TimeProvider.System);
        var benchmark = new VoiceBenchmark(pipeline, Options.Create(new TextOptions()), TestVoices.Sessions());
        var sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "bench-text.txt"));

        var report = await benchmark.RunAsync(voice, sample, new BenchSettings(Runs: 1, Chunks: 2, MaxSeconds: 2, StreamChars: 1_000_000), TextWriter.Null);

        Assert.Equal(2, report.Chunks.Count);
        Assert.InRange(report.Stream.Chars, 999_900, 1_000_000);
        Assert.Equal(-1, report.Stream.SpokenChars);
        Assert.InRange(report.Stream.Seconds, 1.5, 30);
        Assert.True(report.Stream.PeakRssMb > 10);
        Assert.Contains("peak RSS streaming", VoiceBenchmark.Format(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Repeat_ReachesTheLengthAtASpace()
    {
        var repeated = VoiceBenchmark.Repeat("one two  three", 20);

        Assert.Equal("one two three one", repeated);
    }
}
