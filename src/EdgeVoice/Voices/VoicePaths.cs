namespace EdgeVoice.Voices;

/// <summary>
/// Where the files a voice names may lie: inside the voices folder (every path resolved, symbolic
/// links followed to their final target, the voices folder's own included), a GPT-SoVITS bundle also
/// inside one of <c>Voices:BundleDirectories</c>; anywhere when <c>Voices:AllowPathsOutside</c> is set.
/// </summary>
internal sealed class VoicePaths
{
    private readonly string _root;
    private readonly IReadOnlyList<string> _bundleRoots;
    private readonly bool _allowOutside;

    public VoicePaths(string voicesFolder, IEnumerable<string> bundleDirectories, bool allowOutside)
    {
        _root = Resolve(Path.GetFullPath(voicesFolder));
        _bundleRoots = [.. bundleDirectories.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => Resolve(Path.GetFullPath(d)))];
        _allowOutside = allowOutside;
    }

    /// <summary>No confinement (a voice loaded outside a voices folder: tests, tools).</summary>
    public static VoicePaths Anywhere { get; } = new("/", [], allowOutside: true);

    /// <summary>Throws <see cref="VoiceLoadException"/> (naming <paramref name="manifest"/>) when <paramref name="path"/> resolves outside where a voice's files may be.</summary>
    /// <param name="path">An absolute path named by the manifest.</param>
    /// <param name="manifest">The manifest, named in the refusal.</param>
    /// <param name="bundle">Whether the path is a GPT-SoVITS bundle folder (also allowed in <c>Voices:BundleDirectories</c>).</param>
    public void Check(string path, string manifest, bool bundle = false)
    {
        if (_allowOutside)
        {
            return;
        }

        var real = Resolve(path);
        if (Inside(real, _root) || (bundle && _bundleRoots.Any(r => Inside(real, r))))
        {
            return;
        }

        var where = real == path ? $"'{path}'" : $"'{path}' (resolved to '{real}')";
        var also = bundle ? " or list its folder in Voices:BundleDirectories" : string.Empty;
        throw new VoiceLoadException(manifest, $"{where} lies outside the voices folder '{_root}'; move it inside{also}, or set Voices:AllowPathsOutside to load it");
    }

    /// <summary>The path with every symbolic link along it followed to its final target (the parts that exist).</summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists && info.LinkTarget is null)
            {
                // The rest does not exist: nothing more to follow.
                return Path.GetFullPath(Path.Combine([next, .. parts[(i + 1)..]]));
            }

            current = info.LinkTarget is null
                ? next
                : Resolve(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next);
        }

        return current;
    }

    private static bool Inside(string path, string folder) =>
        path == folder || path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
