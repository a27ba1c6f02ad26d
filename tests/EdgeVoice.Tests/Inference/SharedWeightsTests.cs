using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Tests.Inference;

/// <summary>Fixtures/shared-weights (make_shared_weights_fixtures.py): two graphs with one weight in common under different names.</summary>
public sealed class SharedWeightsTests
{
    private static readonly string First = Path.Combine(AppContext.BaseDirectory, "Fixtures", "shared-weights", "first.onnx");
    private static readonly string Second = Path.Combine(AppContext.BaseDirectory, "Fixtures", "shared-weights", "second.onnx");

    [Fact]
    public void Read_ListsTheRawWeights_WithTheirShapeAndWhereTheirBytesAre()
    {
        var weights = OnnxInitializers.Read(First);

        // 'scale' is stored in float_data, not as raw bytes: not listed.
        Assert.Equal(["encoder.layer.weight", "bias"], weights.Select(w => w.Name));
        var weight = weights[0];
        Assert.Equal(OnnxInitializers.Float, weight.DataType);
        Assert.Equal([16L, 16L], weight.Dims);
        Assert.Equal(16 * 16 * sizeof(float), weight.Length);
        var bias = BytesOf(First, weights[1]);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (float)i), Floats(bias));
    }

    [Fact]
    public void Find_MatchesByContentNotByName_AndLeavesWhatDiffers()
    {
        using var shared = SharedWeights.Find([First, Second], minBytes: 0);

        // The 16x16 weight is named differently in each graph; the biases differ.
        Assert.Equal(1, shared.Count);
        Assert.Equal(16 * 16 * sizeof(float), shared.Bytes);
        Assert.Equal(BytesOf(First, OnnxInitializers.Read(First)[0]), BytesOf(Second, OnnxInitializers.Read(Second)[0]));
    }

    [Fact]
    public void Find_LeavesWeightsBelowTheThresholdToEachGraph()
    {
        using var shared = SharedWeights.Find([First, Second]);

        Assert.Equal(0, shared.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SessionsWithTheSharedCopy_ComputeWhatTheirOwnWeightsDo(bool prepack)
    {
        var sessions = new SessionFactory(Options.Create(new InferenceOptions { Providers = "cpu", PrepackSharedWeights = prepack }), NullLogger<SessionFactory>.Instance);
        using var shared = SharedWeights.Find([First, Second], minBytes: 0);
        float[] x = [.. Enumerable.Range(0, 16).Select(i => (i * 0.25f) - 2f)];

        foreach (var model in new[] { First, Second })
        {
            using var own = sessions.Create(model);
            using var withShared = sessions.Create(model, shared);
            // Without pre-packing the kernel sums in another order: equal to float rounding.
            Assert.Equal(Run(own, x), Run(withShared, x), (a, b) => Math.Abs(a - b) <= 1e-5f * Math.Max(1f, Math.Abs(a)));
        }
    }

    [Fact]
    public void Find_OnAFileThatIsNotAModel_SaysSo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgevoice-not-a-model-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [0x0f, 0xff, 0xff]);
        try
        {
            Assert.Throws<InvalidDataException>(() => SharedWeights.Find([path, First]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[] Run(ModelSession model, float[] x)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(x, [1, 16]);
        using var outputs = model.Session.Run(model.RunOptions, ["x"], [input], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static byte[] BytesOf(string path, OnnxInitializers.Weight weight)
    {
        using var file = File.OpenRead(path);
        file.Position = weight.Offset;
        var bytes = new byte[weight.Length];
        file.ReadExactly(bytes);
        return bytes;
    }

    private static float[] Floats(byte[] bytes) => [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes)];
}
