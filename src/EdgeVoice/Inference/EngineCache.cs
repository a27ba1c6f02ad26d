using System.Security.Cryptography;
using System.Text;

namespace EdgeVoice.Inference;

/// <summary>
/// Where TensorRT keeps the engines it builds for one model. The folder's name is a hash of
/// everything that makes an engine valid: the model's SHA-256, the ONNX Runtime and TensorRT
/// versions, the GPU, and the TensorRT options; so a new model, a JetPack upgrade or another GPU
/// gets a new folder and a stale engine is never loaded. <c>key.txt</c> inside says what went in.
/// </summary>
internal static class EngineCache
{
    public static string DirectoryFor(string root, string modelPath, EngineKey key)
    {
        var directory = Path.Combine(Path.GetFullPath(root), FolderName(modelPath, key));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "key.txt"), key.Describe());
        return directory;
    }

    /// <summary>The engine folder's name: the model's file name and the first 16 hex digits of the key's hash.</summary>
    public static string FolderName(string modelPath, EngineKey key) => $"{Path.GetFileNameWithoutExtension(modelPath)}-{key.Hash[..16]}";

    /// <summary>Whether a folder holds a built engine (or the EPContext model that stands for one).</summary>
    public static bool HasEngine(string directory) =>
        Directory.Exists(directory) &&
        (Directory.EnumerateFiles(directory, "*.engine").Any() || Directory.EnumerateFiles(directory, "*_ctx.onnx").Any());

    /// <summary>The timing cache depends on the GPU and TensorRT only, so all models share it.</summary>
    public static string TimingDirectoryFor(string root, EngineKey key)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key.TensorRtVersion}|{key.Gpu}")));
        var directory = Path.Combine(Path.GetFullPath(root), "timing-" + hash[..16]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    public static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>What an engine depends on.</summary>
internal sealed record EngineKey(string ModelSha256, string OnnxRuntimeVersion, string TensorRtVersion, string Gpu, string Options)
{
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Describe())));

    public string Describe() =>
        $"model-sha256: {ModelSha256}\nonnxruntime: {OnnxRuntimeVersion}\ntensorrt: {TensorRtVersion}\ngpu: {Gpu}\noptions: {Options}\n";

    /// <summary>The options that change the engine, as canonical text: every mapped key but the paths.</summary>
    public static string OptionsText(IReadOnlyDictionary<string, string> trtKeys) =>
        string.Join(';', trtKeys
            .Where(k => !k.Key.EndsWith("_path", StringComparison.Ordinal))
            .OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => $"{k.Key}={k.Value}"));
}
