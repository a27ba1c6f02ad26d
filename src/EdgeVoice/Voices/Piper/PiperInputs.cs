using Microsoft.ML.OnnxRuntime;

namespace EdgeVoice.Voices.Piper;

/// <summary>One <c>Run</c> of a Piper model: phoneme ids, <c>[noise_scale, length_scale, noise_w]</c>, and the speaker when there are several.</summary>
internal sealed record PiperInputs(long[] Ids, float[] Scales, long? SpeakerId)
{
    private static readonly string[] Names = ["input", "input_lengths", "scales"];
    private static readonly string[] NamesWithSpeaker = ["input", "input_lengths", "scales", "sid"];

    /// <summary>Feeds the inputs to <paramref name="session"/> exactly as Piper does (<c>sid</c> only for multi-speaker models).</summary>
    public static IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, PiperInputs inputs, RunOptions options, IReadOnlyCollection<string> outputs)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(inputs.Ids, [1, inputs.Ids.Length]);
        using var lengths = OrtValue.CreateTensorValueFromMemory(new[] { (long)inputs.Ids.Length }, [1]);
        using var scales = OrtValue.CreateTensorValueFromMemory(inputs.Scales, [3]);
        using var sid = inputs.SpeakerId is { } speaker ? OrtValue.CreateTensorValueFromMemory(new[] { speaker }, [1]) : null;
        return sid is null
            ? session.Run(options, Names, [input, lengths, scales], outputs)
            : session.Run(options, NamesWithSpeaker, [input, lengths, scales, sid], outputs);
    }
}
