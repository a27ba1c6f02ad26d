using System.Threading.Channels;
using EdgeVoice.Audio;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Core;

/// <summary>
/// Speaks one utterance: Text cuts it into chunks, the voice synthesises them one by one, and the
/// sink plays each as soon as it is ready. A bounded channel sits between synthesis and playback:
/// synthesis waits for room before it starts a chunk, so at most <c>Audio:ChunksAhead</c> chunks of
/// audio are held ahead of the one playing, whatever the length of the text.
/// </summary>
internal sealed class SpeechPipeline(
    IAudioSink sink,
    IOptions<TextOptions> text,
    IOptions<AudioOptions> audio,
    TimeProvider time,
    PipelineHealth? health = null)
{
    private readonly TextPlanner _planner = new(text);

    public string SinkDescription => sink.Description;

    /// <summary>A short fade-out, so an interrupted utterance ends without a click.</summary>
    public static readonly TimeSpan Fade = TimeSpan.FromMilliseconds(20);

    /// <summary>Speaks plain text (with inline markers).</summary>
    public Task<SpeechResult> SpeakAsync(string utteranceId, string input, IVoice voice, CancellationToken cancellationToken) =>
        SpeakAsync(utteranceId, _planner.Plan(input), voice, new UtteranceOptions(), cancellationToken);

    public Task<SpeechResult> SpeakAsync(string utteranceId, string input, IVoice voice, double speed, CancellationToken cancellationToken) =>
        SpeakAsync(utteranceId, _planner.Plan(input), voice, new UtteranceOptions(Speed: speed), cancellationToken);

    /// <summary>Speaks plain text into <paramref name="sink"/> instead of the local speaker (a one-shot <c>say</c>, a benchmark).</summary>
    public Task<SpeechResult> SpeakAsync(string utteranceId, string input, IVoice voice, IAudioSink sink, CancellationToken cancellationToken) =>
        SpeakAsync(utteranceId, _planner.Plan(input), voice, new UtteranceOptions { Sink = sink }, cancellationToken);

    /// <summary>
    /// Speaks the chunks of a plan as they are made, each at its speed times the utterance's, with
    /// its pauses. <paramref name="cancellationToken"/> stops at once (shutdown); the options'
    /// <c>Interrupt</c> stops after a short fade and throws <see cref="UtteranceInterruptedException"/>.
    /// </summary>
    public async Task<SpeechResult> SpeakAsync(string utteranceId, IEnumerable<TextChunk> input, IVoice voice, UtteranceOptions options, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var ready = Channel.CreateBounded<ReadOnlyMemory<short>>(new BoundedChannelOptions(audio.Value.ChunksAhead)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var synthesisStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, options.Interrupt);
        var stamps = new Stamps();
        var synthesis = Task.Run(() => StopOtherOnFailureAsync(() => SynthesizeAsync(input, voice, options, ready.Writer, stamps, synthesisStop.Token), stop));

        // Playback blocks in the sink's writes for as long as the audio lasts: it gets a thread of its
        // own (one lane, one thread) rather than holding one of the thread pool's few threads.
        var playback = Task.Factory.StartNew(
            () => StopOtherOnFailureAsync(() => Task.FromResult(Play(utteranceId, voice.Format, ready.Reader, start, options, stamps, stop.Token)), stop),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();

        try
        {
            await Task.WhenAll(synthesis, playback).ConfigureAwait(false);
        }
        catch
        {
            throw RootCause(synthesis, playback, cancellationToken, options.Interrupt);
        }

        var (chunks, synthesisTime, limitReached) = synthesis.Result;
        if (limitReached)
        {
            throw new AudioLimitException(options.MaxAudio!.Value);
        }

        var (samples, firstAudio, underruns) = playback.Result;
        var total = time.GetElapsedTime(start);
        TimeSpan Since(long? at) => at is { } stamp ? time.GetElapsedTime(start, stamp) : total;
        return new SpeechResult(chunks, samples, voice.Format.SampleRate, firstAudio, synthesisTime, total, underruns)
        {
            Timeline = new UtteranceTimeline(
                Since(stamps.FirstChunkReady),
                Since(stamps.FirstPcm),
                Since(stamps.FirstFrameAccepted),
                Since(stamps.FirstFrameAccepted) + stamps.DeviceDelay,
                Since(stamps.LastSamplePlayed)),
            ChunkTimings = stamps.Chunks,
        };
    }

    /// <summary>When the steps of one utterance happened (timestamps), and each chunk's times.</summary>
    private sealed class Stamps
    {
        public long? FirstChunkReady { get; set; }

        public long? FirstPcm { get; set; }

        public long? FirstFrameAccepted { get; set; }

        public TimeSpan DeviceDelay { get; set; }

        public long? LastSamplePlayed { get; set; }

        public List<ChunkTiming> Chunks { get; } = [];

        /// <summary>Where each chunk synthesised so far ends, in samples from the start: playback tells which are fully played.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<long> ChunkEnds { get; } = new();
    }

    /// <summary>
    /// Zeros shared by every pause: silence is handed to playback as slices of this block, so a
    /// pause of any length costs no memory of its own.
    /// </summary>
    private static readonly short[] SilenceBlock = new short[4096];

    /// <summary>Samples of <paramref name="ms"/> milliseconds of silence in <paramref name="format"/>.</summary>
    private static long SilenceSamples(int ms, AudioFormat format) => ms <= 0 ? 0 : (long)ms * format.SampleRate / 1000 * format.Channels;

    /// <summary>Runs one side; when it fails, the other side is stopped at once.</summary>
    private static async Task<T> StopOtherOnFailureAsync<T>(Func<Task<T>> work, CancellationTokenSource stop)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The failure to report: the first real error, else the interruption, else the cancellation.</summary>
    private static Exception RootCause(Task synthesis, Task playback, CancellationToken cancellationToken, CancellationToken interrupt)
    {
        foreach (var task in new[] { synthesis, playback })
        {
            if (task.Exception?.InnerException is { } error and not OperationCanceledException)
            {
                return error;
            }
        }

        return interrupt.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            ? new UtteranceInterruptedException(interrupt)
            : new OperationCanceledException("The utterance was cancelled.", null, cancellationToken);
    }

    private async Task<(int Chunks, TimeSpan Synthesis, bool LimitReached)> SynthesizeAsync(
        IEnumerable<TextChunk> input, IVoice voice, UtteranceOptions options, ChannelWriter<ReadOnlyMemory<short>> ready, Stamps stamps, CancellationToken cancellationToken)
    {
        var chunks = 0;
        var spent = TimeSpan.Zero;
        var speed = options.Speed;
        long samples = 0;
        var maxSamples = options.MaxAudio is { } max ? (long)(max.TotalSeconds * voice.Format.SampleRate * voice.Format.Channels) : long.MaxValue;
        try
        {
            using var plan = input.GetEnumerator();
            while (true)
            {
                // Wait for room first: a chunk is made and synthesised only when it can be handed over.
                if (!await ready.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                var textBegan = time.GetTimestamp();
                if (!plan.MoveNext())
                {
                    break;
                }

                var chunk = plan.Current;
                var began = time.GetTimestamp();
                stamps.FirstChunkReady ??= began;
                var spoken = speed == 1.0 ? chunk : chunk with { Speed = SpeedRange.ClampSpoken(chunk.Speed * speed) };
                var inference = TimeSpan.Zero;
                long chunkSamples = 0;
                var first = true;
                using var pieces = voice.SynthesizePieces(spoken, cancellationToken).GetEnumerator();
                var pieceBegan = began;
                while (pieces.MoveNext())
                {
                    // A streaming voice hands over pieces as it makes them; the time spent waiting for room is not inference.
                    inference += time.GetElapsedTime(pieceBegan);
                    health?.Progress();
                    stamps.FirstPcm ??= time.GetTimestamp();
                    if (first && !await HandOverSilenceAsync(chunk.PauseBeforeMs).ConfigureAwait(false))
                    {
                        return Done(limitReached: true);
                    }

                    first = false;
                    if (!await HandOverAsync(pieces.Current).ConfigureAwait(false))
                    {
                        return Done(limitReached: true);
                    }

                    pieceBegan = time.GetTimestamp();
                }

                if (!await HandOverSilenceAsync(chunk.PauseAfterMs).ConfigureAwait(false))
                {
                    return Done(limitReached: true);
                }

                spent += inference;
                chunks++;
                stamps.ChunkEnds.Enqueue(samples);
                stamps.Chunks.Add(new ChunkTiming(
                    Math.Round(time.GetElapsedTime(textBegan, began).TotalMilliseconds, 3),
                    Math.Round(inference.TotalMilliseconds, 3),
                    Math.Round(chunkSamples * 1000.0 / voice.Format.SampleRate / voice.Format.Channels, 2)));

                // Hands one piece to playback; false once the utterance's audio limit is reached (spoken up to it).
                async Task<bool> HandOverSilenceAsync(int ms)
                {
                    for (var left = SilenceSamples(ms, voice.Format); left > 0;)
                    {
                        var block = (int)Math.Min(left, SilenceBlock.Length - (SilenceBlock.Length % voice.Format.Channels));
                        left -= block;
                        if (!await HandOverAsync(SilenceBlock.AsMemory(0, block)).ConfigureAwait(false))
                        {
                            return false;
                        }
                    }

                    return true;
                }

                async Task<bool> HandOverAsync(ReadOnlyMemory<short> pcm)
                {
                    chunkSamples += pcm.Length;
                    samples += pcm.Length;
                    if (samples > maxSamples)
                    {
                        var keep = (int)(pcm.Length - (samples - maxSamples));
                        await ready.WriteAsync(pcm[..keep], cancellationToken).ConfigureAwait(false);
                        return false;
                    }

                    await ready.WriteAsync(pcm, cancellationToken).ConfigureAwait(false);
                    return true;
                }

                (int, TimeSpan, bool) Done(bool limitReached)
                {
                    spent += inference;
                    chunks++;
                    ready.TryComplete();
                    return (chunks, spent, limitReached);
                }
            }

            ready.TryComplete();
            return (chunks, spent, LimitReached: false);
        }
        catch (OperationCanceledException) when (options.Interrupt.IsCancellationRequested)
        {
            // Interrupted: not a failure. No more chunks; playback fades out what it has.
            ready.TryComplete();
            return (chunks, spent, LimitReached: false);
        }
        catch (Exception e)
        {
            ready.TryComplete(e);
            throw;
        }
    }

    /// <summary>Plays the utterance; an I/O failure of any sink (a full disk, a device gone) is the output's unavailability.</summary>
    private (long Samples, TimeSpan FirstAudio, int Underruns) Play(
        string utteranceId, AudioFormat format, ChannelReader<ReadOnlyMemory<short>> ready, long start, UtteranceOptions options, Stamps stamps, CancellationToken cancellationToken)
    {
        try
        {
            return PlayTo(utteranceId, format, ready, start, options, stamps, cancellationToken);
        }
        catch (IOException e)
        {
            throw new AudioDeviceUnavailableException($"output '{(options.Sink ?? sink).Description}' failed: {e.Message}", e);
        }
    }

    private (long Samples, TimeSpan FirstAudio, int Underruns) PlayTo(
        string utteranceId, AudioFormat format, ChannelReader<ReadOnlyMemory<short>> ready, long start, UtteranceOptions options, Stamps stamps, CancellationToken cancellationToken)
    {
        long samples = 0;
        var chunksPlayed = 0;
        TimeSpan? firstAudio = null;
        var slice = Math.Max(1, format.SampleRate / 50) * format.Channels; // 20 ms: how often an interruption is noticed
        var fade = Math.Max(1, (int)(Fade.TotalSeconds * format.SampleRate)) * format.Channels;
        var scratch = new short[Math.Max(slice, fade)];
        short last = 0;
        using var playback = (options.Sink ?? sink).Begin(utteranceId, format);
        try
        {
            while (!options.Interrupt.IsCancellationRequested && WaitForChunk(ready, cancellationToken))
            {
                while (ready.TryRead(out var pcm))
                {
                    firstAudio ??= time.GetElapsedTime(start);
                    for (var offset = 0; offset < pcm.Length; offset += slice)
                    {
                        var piece = pcm.Span.Slice(offset, Math.Min(slice, pcm.Length - offset));
                        if (options.Interrupt.IsCancellationRequested)
                        {
                            FadeOut(pcm.Span.Slice(offset, Math.Min(fade, pcm.Length - offset)), options.Volume, scratch, playback, cancellationToken);
                            samples += Math.Min(fade, pcm.Length - offset);
                            playback.Finish();
                            throw new UtteranceInterruptedException(options.Interrupt);
                        }

                        var written = Scaled(piece, options.Volume, scratch);
                        playback.Write(written, cancellationToken);
                        health?.Progress();
                        last = written[^1];
                        samples += piece.Length;
                        while (options.ChunkPlayed is { } played && stamps.ChunkEnds.TryPeek(out var end) && samples >= end && stamps.ChunkEnds.TryDequeue(out _))
                        {
                            played(++chunksPlayed);
                        }
                        if (stamps.FirstFrameAccepted is null)
                        {
                            stamps.FirstFrameAccepted = time.GetTimestamp();
                            stamps.DeviceDelay = playback.Delay; // audible start is this much later
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (options.Interrupt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Interrupted between chunks: nothing left to fade, so ramp from the last sample to silence.
            Tail(last, fade, scratch, playback, cancellationToken);
            playback.Finish();
            throw new UtteranceInterruptedException(options.Interrupt);
        }

        if (options.Interrupt.IsCancellationRequested)
        {
            Tail(last, fade, scratch, playback, cancellationToken);
            playback.Finish();
            throw new UtteranceInterruptedException(options.Interrupt);
        }

        playback.Finish();
        stamps.LastSamplePlayed = time.GetTimestamp();
        return (samples, firstAudio ?? time.GetElapsedTime(start), playback.Underruns);
    }

    private static ReadOnlySpan<short> Scaled(ReadOnlySpan<short> samples, double volume, short[] scratch)
    {
        if (volume >= 1.0)
        {
            return samples;
        }

        var target = scratch.AsSpan(0, samples.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            target[i] = (short)(samples[i] * volume);
        }

        return target;
    }

    /// <summary>A ramp from <paramref name="last"/> down to silence, for an ending with no samples left to fade.</summary>
    private static void Tail(short last, int length, short[] scratch, IPlayback playback, CancellationToken cancellationToken)
    {
        if (last == 0)
        {
            return;
        }

        var target = scratch.AsSpan(0, length);
        for (var i = 0; i < length; i++)
        {
            target[i] = (short)(last * (1.0 - ((double)(i + 1) / length)));
        }

        playback.Write(target, cancellationToken);
    }

    /// <summary>Plays the next samples with a linear ramp down to silence, so stopping makes no click.</summary>
    private static void FadeOut(ReadOnlySpan<short> next, double volume, short[] scratch, IPlayback playback, CancellationToken cancellationToken)
    {
        var target = scratch.AsSpan(0, next.Length);
        for (var i = 0; i < next.Length; i++)
        {
            target[i] = (short)(next[i] * volume * (1.0 - ((double)(i + 1) / next.Length)));
        }

        playback.Write(target, cancellationToken);
    }

    /// <summary>Blocks the playback thread until a chunk is ready (true) or synthesis is done (false); rethrows synthesis's failure.</summary>
    private static bool WaitForChunk(ChannelReader<ReadOnlyMemory<short>> ready, CancellationToken cancellationToken)
    {
        var wait = ready.WaitToReadAsync(cancellationToken);
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }
}
