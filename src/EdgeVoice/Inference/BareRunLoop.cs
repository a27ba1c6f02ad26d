using System.Diagnostics;
using EdgeVoice.Voices.Piper;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Inference;

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

    public TimeSpan Run(PiperInputs inputs)
    {
        var watch = Stopwatch.StartNew();
        using var outputs = PiperInputs.Run(_session, inputs, _runOptions, _outputs);
        _ = outputs[0].GetTensorDataAsSpan<float>().Length;
        return watch.Elapsed;
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
