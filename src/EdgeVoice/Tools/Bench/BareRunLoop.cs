using System.Diagnostics;
using EdgeVoice.Inference;
using EdgeVoice.Voices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Tools.Bench;

/// <summary>
/// The benchmark's baseline: the same model in a second session made by the same
/// <see cref="SessionFactory"/> (so the same provider, threads, arena, spinning and run options),
/// run with the very inputs EdgeVoice made and nothing else around it. What is left of EdgeVoice's
/// time per chunk beyond this is EdgeVoice's own cost; what ONNX Runtime's levers change is measured
/// against sherpa-onnx instead (<c>scripts/compare-sherpa.sh</c>).
/// </summary>
internal sealed class BareRunLoop : IDisposable
{
    private readonly ModelSession _model;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly string[] _outputs;

    public BareRunLoop(string modelPath, SessionFactory sessions)
    {
        _model = sessions.Create(modelPath);
        _session = _model.Session;
        _runOptions = _model.RunOptions;
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

    public void Dispose() => _model.Dispose();
}
