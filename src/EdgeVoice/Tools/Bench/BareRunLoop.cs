using System.Diagnostics;
using EdgeVoice.Voices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Tools.Bench;

/// <summary>
/// The benchmark's baseline: the same model in a plain ONNX Runtime session (CPU, default options
/// but the thread count), run with the very inputs EdgeVoice made. What is left of EdgeVoice's
/// time per chunk beyond this is EdgeVoice's own cost.
/// </summary>
internal sealed class BareRunLoop : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _outputs;

    public BareRunLoop(string modelPath, int intraOpThreads)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (intraOpThreads > 0)
        {
            options.IntraOpNumThreads = intraOpThreads;
        }

        _session = new InferenceSession(modelPath, options);
        _outputs = [_session.OutputMetadata.Keys.First()];
    }

    /// <summary>One run with <paramref name="inputs"/> (the voice's, in its order); the time it took.</summary>
    public TimeSpan Run(IReadOnlyList<ModelInput> inputs)
    {
        var watch = Stopwatch.StartNew();
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var input in inputs)
            {
                values.Add(input.Values switch
                {
                    long[] longs => OrtValue.CreateTensorValueFromMemory(longs, input.Shape),
                    float[] floats => OrtValue.CreateTensorValueFromMemory(floats, input.Shape),
                    _ => throw new InvalidOperationException($"{input.Input}: {input.Values.GetType().Name} is not fed here"),
                });
            }

            var names = inputs.Select(i => i.Input).ToArray();
            using var outputs = _session.Run(_runOptions, names, values, _outputs);
            _ = outputs[0].GetTensorDataAsSpan<float>().Length;
            return watch.Elapsed;
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
