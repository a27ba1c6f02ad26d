using EdgeVoice.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>
/// The autoregressive loop of the official exporter's layout: <c>t2s_encoder</c> (the VQ of the
/// reference's ssl features inside), <c>t2s_fsdec</c> for the first token, then <c>t2s_sdec</c> once
/// per token with the previous step's outputs as its inputs. The caches grow inside the graph and the
/// graph samples, so there are no buckets and no host sampler; the loop stops when the graph's best or
/// its sample is end-of-speech, or at the chunk's step limit.
/// </summary>
internal sealed class OfficialDecoder : ITokenDecoder
{
    private static readonly string[] FirstOutputs = ["y", "k", "v", "y_emb", "x_example"];
    private static readonly string[] StageInputs = ["iy", "ik", "iv", "iy_emb", "ix_example"];
    private static readonly string[] StageOutputs = ["y", "k", "v", "y_emb", "logits", "samples"];

    private readonly GptSoVitsOptions _options;
    private readonly InferenceSession _encoder;
    private readonly InferenceSession _first;
    private readonly InferenceSession _stage;
    private readonly RunOptions _runOptions = new();

    public OfficialDecoder(GptSoVitsBundle bundle, GptSoVitsOptions options)
    {
        _options = options;
        _encoder = bundle.Graph(bundle.OfficialGraph("t2s_encoder"), ["ref_seq", "text_seq", "ref_bert", "text_bert", "ssl_content"], ["x", "prompts"]);
        _first = bundle.Graph(bundle.OfficialGraph("t2s_fsdec"), ["x", "prompts"], FirstOutputs);
        _stage = bundle.Graph(bundle.OfficialGraph("t2s_sdec"), StageInputs, StageOutputs);
        BertWidth = _encoder.InputMetadata["ref_bert"].Dimensions is [_, > 0 and var width] ? width : 1024;
    }

    public int BertWidth { get; }

    public int StepLimit(int targetPhones) => _options.StepLimit(targetPhones);

    public IEnumerable<long> Generate(long[] target, float[]? targetBert, SpeakerFeatures speaker, Random random, DecodeReport report, CancellationToken cancellationToken)
    {
        var limit = StepLimit(target.Length);
        report.Limit = limit;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var encoded = RunEncoder(target, targetBert, speaker);
        using var first = _first.Run(_runOptions, ["x", "prompts"], [encoded[0], encoded[1]], FirstOutputs);
        report.Encoder = watch.Elapsed;
        var token = Last(first[0]);
        if (token == TokenSampler.Eos)
        {
            report.EndOfSpeech = true;
            yield break;
        }

        yield return token;
        var count = 1;
        IDisposableReadOnlyCollection<OrtValue>? previous = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (count >= limit)
                {
                    report.LimitReached = true;
                    yield break;
                }

                watch.Restart();
                IReadOnlyList<OrtValue> state = previous is null ? [first[0], first[1], first[2], first[3]] : [previous[0], previous[1], previous[2], previous[3]];
                var next = _stage.Run(_runOptions, StageInputs, [.. state, first[4]], StageOutputs);
                previous?.Dispose();
                previous = next;
                report.StepTime += watch.Elapsed;
                report.Steps++;

                token = next[5].GetTensorDataAsSpan<long>()[0];
                if (token == TokenSampler.Eos || ArgMax(next[4]) == TokenSampler.Eos)
                {
                    report.EndOfSpeech = true;
                    yield break;
                }

                yield return token;
                count++;
            }
        }
        finally
        {
            previous?.Dispose();
        }
    }

    public void Dispose() => _runOptions.Dispose();

    private IDisposableReadOnlyCollection<OrtValue> RunEncoder(long[] target, float[]? targetBert, SpeakerFeatures speaker)
    {
        var reference = speaker.ReferencePhoneIds;
        var referenceBert = Transposed(speaker.BertFor(BertWidth, 0), BertWidth, reference.Length); // [phones, width] here
        var meta = _encoder.InputMetadata;
        OrtValue[] values =
        [
            TypedTensor.Longs(meta["ref_seq"], reference, [1, reference.Length], "ref_seq"),
            TypedTensor.Longs(meta["text_seq"], target, [1, target.Length], "text_seq"),
            TypedTensor.Floats(meta["ref_bert"], referenceBert, [reference.Length, BertWidth], "ref_bert"),
            TypedTensor.Floats(meta["text_bert"], targetBert is { } bert && bert.Length == target.Length * BertWidth ? Transposed(bert, BertWidth, target.Length) : new float[target.Length * BertWidth], [target.Length, BertWidth], "text_bert"),
            TypedTensor.Floats(meta["ssl_content"], speaker.SslContent, speaker.SslShape, "ssl_content"),
        ];
        try
        {
            return _encoder.Run(_runOptions, ["ref_seq", "text_seq", "ref_bert", "text_bert", "ssl_content"], values, ["x", "prompts"]);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private static float[] Transposed(float[] rows, int height, int width)
    {
        var result = new float[rows.Length];
        for (var r = 0; r < height; r++)
        {
            for (var c = 0; c < width; c++)
            {
                result[(c * height) + r] = rows[(r * width) + c];
            }
        }

        return result;
    }

    private static long Last(OrtValue tokens) => TypedTensor.ReadLongs(tokens)[^1];

    private static long ArgMax(OrtValue logits)
    {
        var values = TypedTensor.ReadFloats(logits);
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
