using System.Diagnostics;
using EdgeVoice.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>
/// The benchmark's baseline for a GPT-SoVITS voice of the minimal layout: the voice's own sessions of
/// gpt_encoder, gpt_step and sovits, replayed with the inputs and the tokens of the voice's last chunk.
/// Every input is made before the clock starts; the steps run back to back through one IOBinding with
/// two cache pairs that swap (ping-pong) and nothing else between them — no sampling, no streaming,
/// no EdgeVoice code. What EdgeVoice's chunk takes beyond this is its host overhead.
/// </summary>
internal sealed class GptSoVitsBareLoop(GptSoVitsVoice voice)
{
    /// <summary>Replays the voice's last chunk; null when the voice is not of the minimal layout or has not spoken.</summary>
    public BareChunk? Replay()
    {
        if (voice.Bundle.Layout != GptSoVitsLayout.Minimal || voice.LastInputs is not { } last || voice.LastChunk is not { } report)
        {
            return null;
        }

        var encoder = voice.Bundle.Session(GptSoVitsBundle.GptEncoder).Session;
        var step = voice.Bundle.Session(GptSoVitsBundle.GptStep).Session;
        var sovits = voice.Bundle.Session(voice.Bundle.Decoder).Session;
        var tokens = voice.LastTokens;
        var steps = report.Decode.Steps;
        var x = last.PhoneIds.Length;
        var y = last.Prompt.Length;
        using var run = new RunOptions();

        // Encoder: inputs made first.
        var names = new List<string>();
        var values = new List<OrtValue>();
        foreach (var (name, metadata) in encoder.InputMetadata)
        {
            names.Add(name);
            values.Add(name switch
            {
                "phoneme_ids" => TypedTensor.Longs(metadata, last.PhoneIds, [1, x], name),
                "phoneme_ids_len" => TypedTensor.Longs(metadata, [x], [1], name),
                "prompts" => TypedTensor.Longs(metadata, last.Prompt, [1, y], name),
                _ => TypedTensor.Floats(metadata, last.Bert, [1, last.Bert.Length / x, x], name),
            });
        }

        var keys = step.InputMetadata["k_cache"];
        var layers = keys.Dimensions[0];
        var width = keys.Dimensions[3];
        var rows = keys.Dimensions[2] > 0 ? keys.Dimensions[2] : report.Decode.Bucket;
        long[] cacheShape = [layers, 1, rows, width];
        var type = keys.ElementDataType;
        var size = type == TensorElementType.Float16 ? 2 : 4;
        var caches = Enumerable.Range(0, 4).Select(_ => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, cacheShape)).ToArray();
        foreach (var cache in caches)
        {
            cache.GetTensorMutableRawData().Clear();
        }

        var watch = Stopwatch.StartNew();
        using (var outputs = encoder.Run(run, names, values, [.. encoder.OutputMetadata.Keys]))
        {
            var k = outputs[2];
            var v = outputs[3];
            var filled = (int)k.GetTensorTypeAndShape().Shape[2];
            var copy = Math.Min(Math.Min(filled, rows), x + y) * width * size;
            for (var l = 0; l < layers; l++)
            {
                k.GetTensorDataAsSpan<byte>().Slice(l * filled * width * size, copy).CopyTo(caches[0].GetTensorMutableRawData()[(l * rows * width * size)..]);
                v.GetTensorDataAsSpan<byte>().Slice(l * filled * width * size, copy).CopyTo(caches[1].GetTensorMutableRawData()[(l * rows * width * size)..]);
            }
        }

        var encoderMs = watch.Elapsed.TotalMilliseconds;
        foreach (var value in values)
        {
            value.Dispose();
        }

        // Steps: one binding, caches ping-pong, the recorded tokens fed in order.
        long[] sample = [0], xLen = [x], yLen = [y], index = [0];
        var topK = step.OutputMetadata["topk_indices"].Dimensions[^1] is > 0 and var kk ? kk : 50;
        using var binding = step.CreateIoBinding();
        using var sampleValue = OrtValue.CreateTensorValueFromMemory(sample, [1, 1]);
        using var xValue = OrtValue.CreateTensorValueFromMemory(xLen, [1]);
        using var yValue = OrtValue.CreateTensorValueFromMemory(yLen, [1]);
        using var indexValue = OrtValue.CreateTensorValueFromMemory(index, [1]);
        using var ids = OrtValue.CreateTensorValueFromMemory(new long[topK], [1, topK]);
        using var scores = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, step.OutputMetadata["topk_values"].ElementDataType, [1, topK]);
        binding.BindInput("samples", sampleValue);
        binding.BindInput("x_len", xValue);
        binding.BindInput("y_len", yValue);
        binding.BindInput("idx", indexValue);
        binding.BindOutput("topk_indices", ids);
        binding.BindOutput("topk_values", scores);
        var count = Math.Min(steps, Math.Min(tokens.Count, rows - x - y));
        watch.Restart();
        for (var i = 0; i < count; i++)
        {
            sample[0] = tokens[i];
            index[0] = i;
            var from = (i & 1) * 2;
            var to = 2 - from;
            binding.BindInput("k_cache", caches[from]);
            binding.BindInput("v_cache", caches[from + 1]);
            binding.BindOutput("k_cache_new", caches[to]);
            binding.BindOutput("v_cache_new", caches[to + 1]);
            step.RunWithBinding(run, binding);
        }

        var stepsMs = watch.Elapsed.TotalMilliseconds;
        foreach (var cache in caches)
        {
            cache.Dispose();
        }

        // SoVITS: the same pieces the voice decoded, inputs made first.
        var sovitsMs = 0.0;
        var output = sovits.OutputMetadata.Keys.First();
        foreach (var piece in last.Pieces)
        {
            var semantic = tokens.Skip(piece.From).Take(piece.To - piece.From).ToArray();
            var pieceNames = new List<string>();
            var pieceValues = new List<OrtValue>();
            foreach (var (name, metadata) in sovits.InputMetadata)
            {
                pieceNames.Add(name);
                pieceValues.Add(name switch
                {
                    "pred_semantic" => TypedTensor.Longs(metadata, semantic, [1, 1, semantic.Length], name),
                    "text_seq" => TypedTensor.Longs(metadata, last.Target, [1, last.Target.Length], name),
                    "refer_spec" => TypedTensor.Floats(metadata, last.Speaker.ReferenceSpectrogram, [1, last.Speaker.Bins, last.Speaker.Frames], name),
                    _ when name == voice.Wiring.NoiseInput => TypedTensor.Floats(metadata, [(float)voice.Options.NoiseScale], [1], name),
                    _ => TypedTensor.Floats(metadata, [1f], [1], name),
                });
            }

            watch.Restart();
            using (sovits.Run(run, pieceNames, pieceValues, [output]))
            {
                sovitsMs += watch.Elapsed.TotalMilliseconds;
            }

            foreach (var value in pieceValues)
            {
                value.Dispose();
            }
        }

        return new BareChunk(encoderMs, count, stepsMs, sovitsMs);
    }
}
