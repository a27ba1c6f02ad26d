using System.Diagnostics;
using System.Globalization;
using EdgeVoice.Audio;
using EdgeVoice.Inference;
using EdgeVoice.Core;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tools.Bench;

/// <summary>Per-chunk medians over the runs.</summary>
internal sealed record ChunkTiming(int Index, int Characters, double AudioMs, double EdgeVoiceMs, double BareMs);

/// <summary>Where a GPT-SoVITS chunk's time went (medians): frontend, GPT encoder, GPT steps, SoVITS decoder.</summary>
internal sealed record GptSoVitsSplit(int Index, int Tokens, double FrontendMs, double EncoderMs, int Steps, double StepMs, double SovitsMs, double BareStepMs = 0, double OverheadPerStepMs = 0);

/// <summary>What <c>edgevoice bench</c> measured.</summary>
internal sealed record BenchReport(
    string Voice,
    string Provider,
    int Runs,
    IReadOnlyList<ChunkTiming> Chunks,
    double RealTimeFactor,
    int ShortChars,
    int LongChars,
    double ShortFirstAudioMs,
    double LongFirstAudioMs,
    double ShortPeakRssMb,
    double LongPeakRssMb)
{
    /// <summary>The streamed text's length (<c>--stream-chars</c>; 0 when not measured), how much of it was spoken, in how long, and the peak RSS over it.</summary>
    public (int Chars, int SpokenChars, double Seconds, double PeakRssMb) Stream { get; init; }

    /// <summary>Per-chunk split of a GPT-SoVITS voice; empty for other engines.</summary>
    public IReadOnlyList<GptSoVitsSplit> Split { get; init; } = [];

    public double EdgeVoiceMs => Chunks.Sum(c => c.EdgeVoiceMs);

    public double BareMs => Chunks.Sum(c => c.BareMs);

    /// <summary>EdgeVoice's time per chunk beyond the bare ONNX Runtime loop, in percent (NaN without a bare loop).</summary>
    public double OverheadPercent => BareMs > 0 ? ((EdgeVoiceMs / BareMs) - 1) * 100 : double.NaN;
}

/// <summary>What to measure: runs of each measurement, chunks timed, a bound on each whole utterance, and the length of a streamed text (0: none).</summary>
internal sealed record BenchSettings(int Runs, int Chunks = 12, double MaxSeconds = 0, int StreamChars = 0);

/// <summary>
/// Measures a voice as the daemon drives it: per-chunk synthesis against a bare ONNX Runtime loop
/// with identical inputs, time to first audio for a short and a long text, and peak memory for each.
/// The long text starts with the short one, so both begin with the same first chunk and any
/// difference in time to first audio is the cost of the text's length.
/// </summary>
internal sealed class VoiceBenchmark(SpeechPipeline pipeline, IOptions<TextOptions> text, SessionFactory sessions)
{
    public const int ShortChars = 100;
    public const int LongChars = 5000;

    public Task<BenchReport> RunAsync(IVoice voice, string sample, int runs, TextWriter progress, CancellationToken cancellationToken = default) =>
        RunAsync(voice, sample, new BenchSettings(runs), progress, cancellationToken);

    public async Task<BenchReport> RunAsync(IVoice voice, string sample, BenchSettings settings, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var runs = settings.Runs;
        var (shortText, longText) = Texts(sample);
        var chunks = new Segmenter(text.Value.MaxChunkChars).Segment(longText).Take(Math.Max(1, settings.Chunks)).ToList();
        var split = new List<GptSoVitsSplit>();
        var timings = PerChunk(voice, chunks, runs, progress, split);

        var firstShort = new List<double>();
        var firstLong = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            // Alternate which goes first, so neither always meets the colder start.
            if (run % 2 == 0)
            {
                firstShort.Add((await FirstAudioAsync(voice, shortText, stopAtFirstAudio: true, cancellationToken).ConfigureAwait(false)).FirstAudioMs);
                firstLong.Add((await FirstAudioAsync(voice, longText, stopAtFirstAudio: true, cancellationToken).ConfigureAwait(false)).FirstAudioMs);
            }
            else
            {
                firstLong.Add((await FirstAudioAsync(voice, longText, stopAtFirstAudio: true, cancellationToken).ConfigureAwait(false)).FirstAudioMs);
                firstShort.Add((await FirstAudioAsync(voice, shortText, stopAtFirstAudio: true, cancellationToken).ConfigureAwait(false)).FirstAudioMs);
            }
        }

        progress.WriteLine("measuring peak memory over a whole short and a whole long utterance ...");
        var shortPeak = (await SpeakAsync(voice, shortText, stopAtFirstAudio: false, settings.MaxSeconds, cancellationToken).ConfigureAwait(false)).PeakRssMb;
        var longPeak = (await SpeakAsync(voice, longText, stopAtFirstAudio: false, settings.MaxSeconds, cancellationToken).ConfigureAwait(false)).PeakRssMb;
        var stream = (0, 0, 0.0, 0.0);
        if (settings.StreamChars > 0)
        {
            progress.WriteLine($"streaming {settings.StreamChars} characters into a discard sink{(settings.MaxSeconds > 0 ? $" for at most {settings.MaxSeconds} s" : "")} ...");
            var streamed = Repeat(sample, settings.StreamChars);
            var started = Stopwatch.GetTimestamp();
            var (_, peak, spoken) = await SpeakAsync(voice, streamed, stopAtFirstAudio: false, settings.MaxSeconds, cancellationToken).ConfigureAwait(false);
            stream = (streamed.Length, spoken, Stopwatch.GetElapsedTime(started).TotalSeconds, peak);
        }

        var audioMs = timings.Sum(t => t.AudioMs);
        return new BenchReport(
            voice.Name,
            voice.Provider,
            runs,
            timings,
            audioMs > 0 ? timings.Sum(t => t.EdgeVoiceMs) / audioMs : 0,
            shortText.Length,
            longText.Length,
            Median(firstShort),
            Median(firstLong),
            shortPeak,
            longPeak)
        {
            Split = split,
            Stream = stream,
        };
    }

    /// <summary>
    /// The sample, whitespace made single, repeated to <paramref name="chars"/> characters (cut at a space).
    /// Made as one string and nothing else: copies left on the large-object heap would count in the peak RSS it measures.
    /// </summary>
    internal static string Repeat(string sample, int chars)
    {
        var clean = string.Join(' ', sample.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var period = clean.Length + 1;
        char At(int i) => i % period < clean.Length ? clean[i % period] : ' ';

        // The sample and a space, again and again, until at least `chars` characters; one more is looked at, so a
        // text cut inside a word ends at the space before it.
        var whole = clean.Length + (Math.Max(0, chars - clean.Length + period - 1) / period * period);
        var length = Math.Min(whole, chars + 1);
        if (length > chars)
        {
            var space = length - 1;
            while (space > 0 && At(space) != ' ')
            {
                space--;
            }

            length = space > 0 ? space : length;
        }

        return string.Create(length, 0, (target, _) =>
        {
            for (var i = 0; i < target.Length; i++)
            {
                target[i] = At(i);
            }
        });
    }

    /// <summary>The short text: the sample's first words up to 100 characters. The long one: the sample, again and again, up to 5,000; both start alike.</summary>
    internal static (string Short, string Long) Texts(string sample)
    {
        var clean = string.Join(' ', sample.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (clean.Length < ShortChars + 1)
        {
            throw new ArgumentException($"the benchmark text needs more than {ShortChars} characters.", nameof(sample));
        }

        var shortText = clean[..clean.LastIndexOf(' ', ShortChars)];
        var builder = new System.Text.StringBuilder(clean);
        while (builder.Length < LongChars)
        {
            builder.Append(' ').Append(clean);
        }

        var longText = builder.ToString(0, LongChars + 1);
        return (shortText, longText[..longText.LastIndexOf(' ')]);
    }

    private List<ChunkTiming> PerChunk(IVoice voice, List<TextChunk> chunks, int runs, TextWriter progress, List<GptSoVitsSplit> split)
    {
        var staged = voice as IStagedVoice;
        var parts = chunks.Select(_ => new List<(int Tokens, double Frontend, double Encoder, int Steps, double Step, double Sovits, double BareStep, double Overhead)>()).ToList();
        var models = voice is IModelVoice { SingleModel: not null } single ? single : null;
        using var bare = models is null ? null : new BareRunLoop(models.SingleModel!, sessions);
        var edge = chunks.Select(_ => new List<double>()).ToList();
        var plain = chunks.Select(_ => new List<double>()).ToList();
        var audioMs = new double[chunks.Count];

        // Warm both once, then interleave them, so neither gets the warmer caches.
        voice.Synthesize(chunks[0], CancellationToken.None);
        if (models?.ModelInputs(chunks[0]).ToList() is { Count: > 0 } warm)
        {
            bare!.Run(warm);
        }

        for (var run = 0; run < runs; run++)
        {
            progress.WriteLine($"run {run + 1} of {runs}: {chunks.Count} chunks ...");
            for (var i = 0; i < chunks.Count; i++)
            {
                var watch = Stopwatch.StartNew();
                var pcm = voice.Synthesize(chunks[i], CancellationToken.None);
                edge[i].Add(watch.Elapsed.TotalMilliseconds);
                audioMs[i] = pcm.Length * 1000.0 / voice.Format.SampleRate;
                if (staged?.LastStages is { } report)
                {
                    var replay = staged.ReplayLastChunk();
                    var loopMs = edge[i][^1] - report.Frontend.TotalMilliseconds - report.Encoder.TotalMilliseconds - report.Decoder.TotalMilliseconds;
                    parts[i].Add((report.Tokens, report.Frontend.TotalMilliseconds, report.Encoder.TotalMilliseconds, report.Steps,
                        report.Steps > 0 ? report.StepTime.TotalMilliseconds / report.Steps : 0, report.Decoder.TotalMilliseconds,
                        replay?.StepMs ?? 0, replay is { Steps: > 0 } r ? (loopMs - r.StepsMs) / r.Steps : 0));
                    if (replay is { } bareChunk)
                    {
                        plain[i].Add(bareChunk.TotalMs);
                    }
                }

                if (models?.ModelInputs(chunks[i]).ToList() is { Count: > 0 } inputs)
                {
                    plain[i].Add(bare!.Run(inputs).TotalMilliseconds);
                }
            }
        }

        if (staged is not null)
        {
            split.AddRange(parts.Select((p, i) => new GptSoVitsSplit(
                i, p[0].Tokens, Median([.. p.Select(x => x.Frontend)]), Median([.. p.Select(x => x.Encoder)]), p[0].Steps,
                Median([.. p.Select(x => x.Step)]), Median([.. p.Select(x => x.Sovits)]), Median([.. p.Select(x => x.BareStep)]), Median([.. p.Select(x => x.Overhead)]))));
        }

        return [.. chunks.Select((c, i) => new ChunkTiming(i, c.Text.Length, audioMs[i], Median(edge[i]), plain[i].Count > 0 ? Median(plain[i]) : 0))];
    }

    private async Task<(double FirstAudioMs, double PeakRssMb)> FirstAudioAsync(IVoice voice, string input, bool stopAtFirstAudio, CancellationToken cancellationToken)
    {
        var (first, peak, _) = await SpeakAsync(voice, input, stopAtFirstAudio, 0, cancellationToken).ConfigureAwait(false);
        return (first, peak);
    }

    /// <summary>One utterance into a discard sink: time to its first audio, peak RSS, and the characters of the chunks it began (all of them unless stopped).</summary>
    private async Task<(double FirstAudioMs, double PeakRssMb, int SpokenChars)> SpeakAsync(IVoice voice, string input, bool stopAtFirstAudio, double maxSeconds, CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        PeakMemory.Reset();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (maxSeconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(maxSeconds));
        }

        using var sink = new DiscardSink(stopAtFirstAudio ? stop : null);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await pipeline.SpeakAsync("bench", input, voice, sink, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Stopped on purpose after the first audio, or at the time bound.
        }

        return (Stopwatch.GetElapsedTime(started, sink.FirstWriteAt).TotalMilliseconds, PeakMemory.ReadMb(), stop.IsCancellationRequested ? -1 : input.Length);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? 0 : values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>Report as Markdown, ready for docs/BENCHMARKS.md.</summary>
    public static string Format(BenchReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(c, $"voice `{report.Voice}` on {report.Provider}, {report.Runs} runs, medians"),
            "",
            "| chunk | chars | audio ms | EdgeVoice ms | bare ONNX Runtime ms |",
            "|---:|---:|---:|---:|---:|",
        };
        lines.AddRange(report.Chunks.Select(t => string.Create(c, $"| {t.Index} | {t.Characters} | {t.AudioMs:F0} | {t.EdgeVoiceMs:F1} | {t.BareMs:F1} |")));
        lines.Add(string.Create(c, $"| all | {report.Chunks.Sum(t => t.Characters)} | {report.Chunks.Sum(t => t.AudioMs):F0} | {report.EdgeVoiceMs:F1} | {report.BareMs:F1} |"));
        lines.Add("");
        lines.Add(string.Create(c, $"- per-chunk time over the bare loop: {report.OverheadPercent:+0.0;-0.0} % (target: within 3 %)"));
        lines.Add(string.Create(c, $"- real-time factor: {report.RealTimeFactor:F3}"));
        lines.Add(string.Create(c, $"- time to first audio: {report.ShortFirstAudioMs:F0} ms for {report.ShortChars} characters, {report.LongFirstAudioMs:F0} ms for {report.LongChars} ({((report.LongFirstAudioMs / report.ShortFirstAudioMs) - 1) * 100:+0.0;-0.0} %, target: within 10 %)"));
        if (report.Split.Count > 0)
        {
            lines.Add("");
            lines.Add("| chunk | tokens | frontend ms | GPT encoder ms | GPT steps | ms a step | bare ms a step | host ms a step | SoVITS ms |");
            lines.Add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            lines.AddRange(report.Split.Select(t => string.Create(c, $"| {t.Index} | {t.Tokens} | {t.FrontendMs:F2} | {t.EncoderMs:F2} | {t.Steps} | {t.StepMs:F3} | {t.BareStepMs:F3} | {t.OverheadPerStepMs:F3} | {t.SovitsMs:F2} |")));
            lines.Add("");
            var steps = report.Split.Sum(t => t.Steps);
            if (steps > 0)
            {
                var host = report.Split.Sum(t => t.OverheadPerStepMs * t.Steps) / steps;
                var bareStep = report.Split.Sum(t => t.BareStepMs * t.Steps) / steps;
                lines.Add(string.Create(c, $"- host overhead per GPT step (the chunk's time less frontend, encoder and SoVITS, less the bare steps): {host:F3} ms, {(bareStep > 0 ? host / bareStep * 100 : double.NaN):F2} % of a bare step (target: within 2 % or 0.5 ms)"));
                lines.Add(string.Create(c, $"- host overhead per chunk: {(report.EdgeVoiceMs - report.BareMs) / Math.Max(1, report.Chunks.Count):F1} ms"));
                lines.Add("");
            }
        }

        lines.Add(string.Create(c, $"- peak RSS: {report.ShortPeakRssMb:F1} MB speaking the short text, {report.LongPeakRssMb:F1} MB the long one ({report.LongPeakRssMb - report.ShortPeakRssMb:+0.0;-0.0} MB, target: within 10 MB)"));
        if (report.Stream.Chars > 0)
        {
            var whole = report.Stream.SpokenChars >= 0 ? "all of it" : "stopped at the time bound";
            lines.Add(string.Create(c, $"- peak RSS streaming {report.Stream.Chars} characters ({whole}, {report.Stream.Seconds:F0} s): {report.Stream.PeakRssMb:F1} MB ({report.Stream.PeakRssMb - report.ShortPeakRssMb:+0.0;-0.0} MB over the short text, target: within 10 MB)"));
        }

        return string.Join('\n', lines);
    }

    /// <summary>A sink that keeps nothing: it notes when the first samples arrive and can stop the utterance there.</summary>
    private sealed class DiscardSink(CancellationTokenSource? stopAtFirst) : IAudioSink, IPlayback
    {
        public long FirstWriteAt { get; private set; }

        public string Description => "discard";

        public int Underruns => 0;

        public IPlayback Begin(string utteranceId, AudioFormat format) => this;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            if (FirstWriteAt == 0)
            {
                FirstWriteAt = Stopwatch.GetTimestamp();
                stopAtFirst?.Cancel();
            }
        }

        public void Finish()
        {
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>The process's peak resident memory (VmHWM), which Linux lets a process reset.</summary>
internal static class PeakMemory
{
    public static void Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
            // Older kernels: the peak then covers the whole run, which only makes the figures larger.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static double ReadMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }
}
