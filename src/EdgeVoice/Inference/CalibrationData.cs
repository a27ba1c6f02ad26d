using EdgeVoice.Text;
using EdgeVoice.Voices;
using EdgeVoice.Voices.GptSoVits;
using EdgeVoice.Voices.Piper;

namespace EdgeVoice.Inference;

/// <summary>
/// INT8 calibration samples for a voice's models, made from a list of texts through the voice's own
/// frontend, so the ranges TensorRT calibrates on are the ones the voice meets: for each chunk of
/// each text, one folder per model holding one <c>.npy</c> file per model input
/// (<c>OUT/&lt;model&gt;/0000/input.npy</c>), which tensorrt/samples_loader.py feeds to Polygraphy.
/// </summary>
internal static class CalibrationData
{
    /// <summary>What was written for one model: its file, where its samples are, and how many.</summary>
    public sealed record Written(string Model, string Folder, int Samples);

    public static IReadOnlyList<Written> Write(IVoice voice, IEnumerable<string> texts, TextPlanner planner, string output, int maxSamples)
    {
        var counts = new Dictionary<string, (string Folder, int Count)>(StringComparer.Ordinal);
        void Save(string model, string input, Array values, long[] shape, int sample)
        {
            var folder = Path.Combine(output, Path.GetFileNameWithoutExtension(model));
            var sampleFolder = Path.Combine(folder, sample.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(sampleFolder);
            var path = Path.Combine(sampleFolder, input + ".npy");
            switch (values)
            {
                case long[] longs: Npy.Write<long>(path, longs, shape); break;
                case float[] floats: Npy.Write<float>(path, floats, shape); break;
                default: throw new InvalidOperationException($"{input}: {values.GetType().Name} is not written here");
            }

            counts[model] = (folder, sample + 1);
        }

        var sample = 0;
        foreach (var chunk in texts.Where(t => !string.IsNullOrWhiteSpace(t)).SelectMany(t => planner.Plan(t)))
        {
            if (sample >= maxSamples)
            {
                break;
            }

            var wrote = false;
            switch (voice)
            {
                case PiperVoice piper when piper.Prepare(chunk) is { } inputs:
                    var model = piper.Session.ModelPath;
                    Save(model, "input", inputs.Ids, [1, inputs.Ids.Length], sample);
                    Save(model, "input_lengths", new[] { (long)inputs.Ids.Length }, [1], sample);
                    Save(model, "scales", inputs.Scales, [3], sample);
                    if (inputs.SpeakerId is { } speaker)
                    {
                        Save(model, "sid", new[] { speaker }, [1], sample);
                    }

                    wrote = true;
                    break;
                case GptSoVitsVoice cloned:
                    foreach (var (graph, input, values, shape) in cloned.CalibrationInputs(chunk))
                    {
                        Save(Path.Combine(cloned.Bundle.Folder, graph), input, values, shape, sample);
                        wrote = true;
                    }

                    break;
                case PiperVoice:
                    break;
                default:
                    throw new InvalidOperationException($"voice '{voice.Name}' ({voice.Engine}) runs no ONNX model to calibrate");
            }

            if (wrote)
            {
                sample++;
            }
        }

        return [.. counts.Select(c => new Written(c.Key, c.Value.Folder, c.Value.Count))];
    }
}
