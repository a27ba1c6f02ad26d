using EdgeVoice.Inference;
using EdgeVoice.Text;
using EdgeVoice.Voices;

namespace EdgeVoice.Tools.Calibration;

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

            if (voice is not IModelVoice models)
            {
                throw new InvalidOperationException($"voice '{voice.Name}' ({voice.Engine}) runs no ONNX model to calibrate");
            }

            var wrote = false;
            foreach (var input in models.ModelInputs(chunk))
            {
                Save(input.Model, input.Input, input.Values, input.Shape, sample);
                wrote = true;
            }

            if (wrote)
            {
                sample++;
            }
        }

        return [.. counts.Select(c => new Written(c.Key, c.Value.Folder, c.Value.Count))];
    }
}
