using EdgeVoice.Audio;
using EdgeVoice.Core;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Core;

/// <summary>
/// The hand-off between synthesis and playback. A real sound device cannot be made to stall on
/// demand (ALSA's null device is not paced), so these tests use a sink that blocks when told to,
/// and a voice that makes a short tone per chunk and counts what it was asked for.
/// </summary>
public sealed class SpeechPipelineTests
{
    private const string TenSentences = "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten.";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static SpeechPipeline Pipeline(IAudioSink sink, int chunksAhead = 2) => new(
        sink,
        Options.Create(new TextOptions()),
        Options.Create(new AudioOptions { ChunksAhead = chunksAhead }),
        TimeProvider.System);

    [Fact]
    public async Task SpeakAsync_SlowSink_SynthesisRunsAtMostChunksAheadOfPlayback()
    {
        var voice = new ToneVoice();
        using var sink = new GateSink();
        var speaking = Pipeline(sink, chunksAhead: 2).SpeakAsync("u", TenSentences, voice, CancellationToken.None);

        // The sink holds its first chunk; synthesis may fill the two places ahead of it, no more.
        await WaitUntilAsync(() => voice.Calls == 3);
        await Task.Delay(300);
        Assert.Equal(3, voice.Calls);
        Assert.False(speaking.IsCompleted);

        sink.Release();
        var result = await speaking.WaitAsync(Patience);

        Assert.Equal(10, voice.Calls);
        Assert.Equal(10, result.Chunks);
        Assert.Equal(10 * ToneVoice.SamplesPerChunk, result.Samples);
        Assert.Equal(result.Samples, sink.SamplesWritten);
        Assert.True(sink.Finished);
    }

    [Fact]
    public async Task SpeakAsync_Result_CarriesTheTimings()
    {
        using var sink = new GateSink();
        sink.Release();

        var result = await Pipeline(sink).SpeakAsync("u", "Hello there. General greeting.", new ToneVoice(), CancellationToken.None);

        Assert.Equal(2, result.Chunks);
        Assert.Equal(TimeSpan.FromSeconds(2 * ToneVoice.SamplesPerChunk / 16000.0), result.Audio);
        Assert.InRange(result.TimeToFirstAudio, TimeSpan.Zero, result.Total);
        Assert.InRange(result.Synthesis, TimeSpan.Zero, result.Total);
        Assert.Equal(result.Synthesis.TotalSeconds / result.Audio.TotalSeconds, result.RealTimeFactor, 6);
    }

    [Fact]
    public async Task SpeakAsync_Speed_ReachesTheVoiceWithEveryChunk()
    {
        using var sink = new GateSink();
        sink.Release();
        var voice = new ToneVoice();

        await Pipeline(sink).SpeakAsync("u", "One. Two. Three.", voice, speed: 1.5, CancellationToken.None);

        Assert.Equal([1.5, 1.5, 1.5], voice.Speeds);
    }

    [Fact]
    public async Task SpeakAsync_Pauses_BecomeSilenceAroundTheChunks()
    {
        using var sink = new GateSink();
        sink.Release();
        var voice = new ToneVoice();

        var result = await Pipeline(sink).SpeakAsync("u", "[pause_100ms]One.[pause_250ms] Two.", voice, CancellationToken.None);

        // 16 kHz: 100 ms before the first chunk, 250 ms after it, then the second chunk.
        Assert.Equal((2 * ToneVoice.SamplesPerChunk) + 1600 + 4000, result.Samples);
        Assert.Equal(result.Samples, sink.SamplesWritten);
    }

    [Fact]
    public async Task SpeakAsync_LongPauses_ArePlayedInFull_InSmallWrites()
    {
        using var sink = new GateSink();
        sink.Release();
        var voice = new ToneVoice();

        var result = await Pipeline(sink).SpeakAsync("u", "One.[pause_10000ms][pause_10000ms] Two.[pause_10000ms]", voice, CancellationToken.None);

        // 16 kHz: 10 s after the first chunk (one pause is at most 10 s), 10 s after the second.
        Assert.Equal((2 * ToneVoice.SamplesPerChunk) + (2 * 160_000), result.Samples);
        Assert.Equal(result.Samples, sink.SamplesWritten);
        Assert.InRange(sink.LargestWrite, 1, 320);
    }

    [Fact]
    public async Task SpeakAsync_SinkIOFailure_IsTheOutputsUnavailability_WithTheSystemsMessage()
    {
        using var sink = new GateSink { FailWith = new IOException("No space left on device") };
        sink.Release();

        var error = await Assert.ThrowsAsync<AudioDeviceUnavailableException>(() => Pipeline(sink).SpeakAsync("u", "One.", new ToneVoice(), CancellationToken.None));

        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpeakAsync_VoiceFails_ThatErrorIsReportedAndPlaybackIsDropped()
    {
        using var sink = new GateSink();
        sink.Release();
        var voice = new ToneVoice { FailAt = 3 };

        var error = await Assert.ThrowsAsync<SynthesisException>(() => Pipeline(sink).SpeakAsync("u", TenSentences, voice, CancellationToken.None));

        Assert.Contains("chunk 3", error.Message, StringComparison.Ordinal);
        Assert.False(sink.Finished);
        Assert.True(sink.Disposed);
    }

    [Fact]
    public async Task SpeakAsync_SinkUnavailable_ThatErrorIsReportedAndSynthesisStops()
    {
        using var sink = new GateSink { Unavailable = true };
        var voice = new ToneVoice();

        await Assert.ThrowsAsync<AudioDeviceUnavailableException>(
            () => Pipeline(sink).SpeakAsync("u", TenSentences, voice, CancellationToken.None).WaitAsync(Patience));

        Assert.InRange(voice.Calls, 0, 3);
    }

    [Fact]
    public async Task SpeakAsync_Cancelled_StopsPromptlyWithCancellation()
    {
        using var sink = new GateSink();
        using var cancel = new CancellationTokenSource();
        var voice = new ToneVoice();
        var speaking = Pipeline(sink).SpeakAsync("u", TenSentences, voice, cancel.Token);
        await WaitUntilAsync(() => sink.SamplesWritten > 0 || voice.Calls >= 3);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => speaking.WaitAsync(Patience));
        Assert.False(sink.Finished);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }

    private sealed class ToneVoice : IVoice
    {
        public const int SamplesPerChunk = 1600;
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public System.Collections.Concurrent.ConcurrentQueue<double> Speeds { get; } = new();

        public int FailAt { get; init; } = -1;

        public string Name => "tone";

        public string Engine => "test";

        public string Language => "none";

        public string Provider => "cpu";

        public AudioFormat Format => AudioFormat.Mono(16000);

        public short[] Synthesize(TextChunk chunk, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var call = Interlocked.Increment(ref _calls);
            Speeds.Enqueue(chunk.Speed);
            if (call == FailAt)
            {
                throw new SynthesisException($"the model broke on chunk {call}");
            }

            return [.. Enumerable.Range(0, SamplesPerChunk).Select(i => (short)(i % 100))];
        }
    }

    /// <summary>A sink whose writes wait until <see cref="Release"/>; it records what reached it.</summary>
    private sealed class GateSink : IAudioSink
    {
        private readonly ManualResetEventSlim _open = new(false);
        private long _samples;

        public bool Unavailable { get; init; }

        public IOException? FailWith { get; init; }

        public int LargestWrite { get; private set; }

        public long SamplesWritten => Interlocked.Read(ref _samples);

        public bool Finished { get; private set; }

        public bool Disposed { get; private set; }

        public string Description => "gate";

        public void Release() => _open.Set();

        public IPlayback Begin(string utteranceId, AudioFormat format) =>
            Unavailable ? throw new AudioDeviceUnavailableException("the speaker is unplugged") : new Playback(this);

        public void Dispose() => _open.Dispose();

        private sealed class Playback(GateSink sink) : IPlayback
        {
            public int Underruns => 0;

            public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
            {
                sink._open.Wait(cancellationToken);
                if (sink.FailWith is { } failure)
                {
                    throw failure;
                }

                sink.LargestWrite = Math.Max(sink.LargestWrite, samples.Length);
                Interlocked.Add(ref sink._samples, samples.Length);
            }

            public void Finish() => sink.Finished = true;

            public void Dispose() => sink.Disposed = true;
        }
    }
}
