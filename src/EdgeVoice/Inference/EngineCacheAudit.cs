namespace EdgeVoice.Inference;

/// <summary>
/// The TensorRT engine cache against the installed models, for <c>edgevoice engines check|prune</c>:
/// which models have an engine valid for this machine and configuration, and which cached folders
/// no installed model can use any more (an old model, another JetPack, other TensorRT options).
/// </summary>
internal sealed class EngineCacheAudit(SessionFactory sessions, string voicesDirectory, string cacheRoot)
{
    /// <summary>One installed model and the engine folder it would use.</summary>
    public sealed record Entry(string Model, string Folder, bool Built);

    /// <summary>Every <c>.onnx</c> under the voices folder (the files sessions are made from), sorted.</summary>
    public IReadOnlyList<string> Models() =>
        Directory.Exists(voicesDirectory)
            ? [.. Directory.EnumerateFiles(voicesDirectory, "*.onnx", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3 })
                .Where(m => !m.EndsWith("_ctx.onnx", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)]
            : [];

    public IReadOnlyList<Entry> Check() =>
        [.. Models().Select(model =>
        {
            var folder = Path.Combine(Path.GetFullPath(cacheRoot), EngineCache.FolderName(model, sessions.EngineKeyFor(model)));
            return new Entry(model, folder, EngineCache.HasEngine(folder));
        })];

    /// <summary>
    /// Engine folders (those with a <c>key.txt</c>) that no installed model would use now. Timing caches
    /// and anything else under the root are left alone.
    /// </summary>
    public IReadOnlyList<string> Stale()
    {
        if (!Directory.Exists(cacheRoot))
        {
            return [];
        }

        var wanted = Check().Select(e => Path.GetFileName(e.Folder)).ToHashSet(StringComparer.Ordinal);
        return [.. Directory.EnumerateDirectories(Path.GetFullPath(cacheRoot))
            .Where(d => File.Exists(Path.Combine(d, "key.txt")) && !wanted.Contains(Path.GetFileName(d)))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Deletes the stale folders; returns them.</summary>
    public IReadOnlyList<string> Prune()
    {
        var stale = Stale();
        foreach (var directory in stale)
        {
            Directory.Delete(directory, recursive: true);
        }

        return stale;
    }
}
