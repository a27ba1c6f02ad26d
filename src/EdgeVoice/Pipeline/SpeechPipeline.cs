using System.Threading.Channels;
using EdgeVoice.Audio;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Pipeline;

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
    TimeProvider time)
{
    private readonly TextPlanner _planner = new(text);

    public string SinkDescription => sink.Description;

    /// <summary>Speaks plain text (with inline markers).</summary>
    public Task<SpeechResult> SpeakAsync(string utteranceId, string input, IVoice voice, CancellationToken cancellationToken) =>
        SpeakAsync(utteranceId, _planner.Plan(input), voice, speed: 1.0, cancellationToken);

    public Task<SpeechResult> SpeakAsync(string utteranceId, string input, IVoice voice, double speed, CancellationToken cancellationToken) =>
        SpeakAsync(utteranceId, _planner.Plan(input), voice, speed, cancellationToken);

    /// <summary>Speaks the chunks of a plan as they are made, each at its speed times <paramref name="speed"/>, with its pauses.</summary>
    public async Task<SpeechResult> SpeakAsync(string utteranceId, IEnumerable<TextChunk> input, IVoice voice, double speed, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var ready = Channel.CreateBounded<short[]>(new BoundedChannelOptions(audio.Value.ChunksAhead)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var synthesis = Task.Run(() => StopOtherOnFailureAsync(() => SynthesizeAsync(input, voice, speed, ready.Writer, stop.Token), stop));

        // Playback blocks in the sink's writes for as long as the audio lasts: it gets a thread of its
        // own (one lane, one thread) rather than holding one of the thread pool's few threads.
        var playback = Task.Factory.StartNew(
            () => StopOtherOnFailureAsync(() => Task.FromResult(Play(utteranceId, voice.Format, ready.Reader, start, stop.Token)), stop),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();

        try
        {
            await Task.WhenAll(synthesis, playback).ConfigureAwait(false);
        }
        catch
        {
            throw RootCause(synthesis, playback, cancellationToken);
        }

        var (chunks, synthesisTime) = synthesis.Result;
        var (samples, firstAudio, underruns) = playback.Result;
        return new SpeechResult(chunks, samples, voice.Format.SampleRate, firstAudio, synthesisTime, time.GetElapsedTime(start), underruns);
    }

    /// <summary>The chunk's samples with its pauses as silence around them.</summary>
    private static short[] WithPauses(short[] pcm, TextChunk chunk, AudioFormat format)
    {
        if (chunk.PauseBeforeMs == 0 && chunk.PauseAfterMs == 0)
        {
            return pcm;
        }

        var before = (int)((long)chunk.PauseBeforeMs * format.SampleRate / 1000) * format.Channels;
        var after = (int)((long)chunk.PauseAfterMs * format.SampleRate / 1000) * format.Channels;
        var result = new short[before + pcm.Length + after];
        pcm.CopyTo(result, before);
        return result;
    }

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

    /// <summary>The failure to report: the first real error, else the cancellation.</summary>
    private static Exception RootCause(Task synthesis, Task playback, CancellationToken cancellationToken)
    {
        foreach (var task in new[] { synthesis, playback })
        {
            if (task.Exception?.InnerException is { } error and not OperationCanceledException)
            {
                return error;
            }
        }

        return new OperationCanceledException("The utterance was cancelled.", null, cancellationToken);
    }

    private async Task<(int Chunks, TimeSpan Synthesis)> SynthesizeAsync(
        IEnumerable<TextChunk> input, IVoice voice, double speed, ChannelWriter<short[]> ready, CancellationToken cancellationToken)
    {
        var chunks = 0;
        var spent = TimeSpan.Zero;
        try
        {
            foreach (var chunk in input)
            {
                // Wait for room first: a chunk is synthesised only when it can be handed over.
                if (!await ready.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                var began = time.GetTimestamp();
                var pcm = voice.Synthesize(speed == 1.0 ? chunk : chunk with { Speed = Math.Clamp(chunk.Speed * speed, 0.25, 4.0) }, cancellationToken);
                spent += time.GetElapsedTime(began);
                pcm = WithPauses(pcm, chunk, voice.Format);
                chunks++;
                await ready.WriteAsync(pcm, cancellationToken).ConfigureAwait(false);
            }

            ready.TryComplete();
            return (chunks, spent);
        }
        catch (Exception e)
        {
            ready.TryComplete(e);
            throw;
        }
    }

    private (long Samples, TimeSpan FirstAudio, int Underruns) Play(
        string utteranceId, AudioFormat format, ChannelReader<short[]> ready, long start, CancellationToken cancellationToken)
    {
        long samples = 0;
        TimeSpan? firstAudio = null;
        using var playback = sink.Begin(utteranceId, format);
        while (WaitForChunk(ready, cancellationToken))
        {
            while (ready.TryRead(out var pcm))
            {
                firstAudio ??= time.GetElapsedTime(start);
                playback.Write(pcm, cancellationToken);
                samples += pcm.Length;
            }
        }

        playback.Finish();
        return (samples, firstAudio ?? time.GetElapsedTime(start), playback.Underruns);
    }

    /// <summary>Blocks the playback thread until a chunk is ready (true) or synthesis is done (false); rethrows synthesis's failure.</summary>
    private static bool WaitForChunk(ChannelReader<short[]> ready, CancellationToken cancellationToken)
    {
        var wait = ready.WaitToReadAsync(cancellationToken);
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }
}
