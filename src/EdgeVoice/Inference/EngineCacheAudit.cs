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

    /// <summary>
    /// Every <c>.onnx</c> sessions are made from, sorted: those under the voices folder, and those of the
    /// GPT-SoVITS bundles that enrolled voices name (a bundle may live outside the voices folder).
    /// </summary>
    public IReadOnlyList<string> Models()
    {
        if (!Directory.Exists(voicesDirectory))
        {
            return [];
        }

        var search = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3 };
        var folders = new List<string> { voicesDirectory };
        foreach (var manifest in Directory.EnumerateFiles(voicesDirectory, "voice.json", search))
        {
            if (BundleOf(manifest) is { } bundle && Directory.Exists(bundle))
            {
                folders.Add(bundle);
            }
        }

        return [.. folders.SelectMany(f => Directory.EnumerateFiles(f, "*.onnx", search))
            .Select(Path.GetFullPath)
            .Where(m => !m.EndsWith("_ctx.onnx", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    private static string? BundleOf(string manifest)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(manifest));
            var root = document.RootElement;
            return root.ValueKind == System.Text.Json.JsonValueKind.Object &&
                root.TryGetProperty("engine", out var engine) && engine.ValueKind == System.Text.Json.JsonValueKind.String && engine.GetString() == "gpt-sovits" &&
                root.TryGetProperty("bundle", out var bundle) && bundle.ValueKind == System.Text.Json.JsonValueKind.String
                ? Path.GetFullPath(bundle.GetString()!, Path.GetDirectoryName(manifest)!)
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            return null; // a broken manifest is the voice registry's to report
        }
    }

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
