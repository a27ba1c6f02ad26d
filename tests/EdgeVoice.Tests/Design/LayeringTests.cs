using System.Text.RegularExpressions;

namespace EdgeVoice.Tests.Design;

/// <summary>
/// The layering, stated once: every folder of src/EdgeVoice may use only the folders below it.
/// Text, Audio and Inference stand alone; Telemetry may use them; Voices uses Text, Audio and
/// Inference; the protocol-free Core uses Voices and everything below; Tools (bench, calibration)
/// and each front-end (Frontends/&lt;Name&gt;) use the Core and below, and no front-end uses another;
/// Hosting and Cli compose everything. A `using` or a qualified name that breaks this fails here.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>Folder → the folders it may use (besides itself). Front-ends are matched by the "Frontends/" prefix.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Text"] = [],
        ["Audio"] = [],
        ["Inference"] = [],
        ["Telemetry"] = ["Text", "Audio", "Inference"],
        ["Voices"] = ["Text", "Audio", "Inference"],
        ["Core"] = ["Voices", "Text", "Audio", "Inference", "Telemetry"],
        ["Tools"] = ["Core", "Voices", "Text", "Audio", "Inference", "Telemetry"],
        ["Frontends"] = ["Core", "Voices", "Text", "Audio", "Inference", "Telemetry"],
        ["Hosting"] = ["*"],
        ["Cli"] = ["*"],
    };

    [Fact]
    public void EveryFolderDependsOnlyOnTheFoldersBelowIt()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "EdgeVoice");
        var breaches = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal) || !relative.Contains('/', StringComparison.Ordinal))
            {
                continue; // build output, and Program.cs at the root (the entry point)
            }

            var folder = FolderOf(relative.Split('/'));
            Assert.True(Allowed.ContainsKey(Layer(folder)), $"{relative}: folder '{folder}' has no place in the layering; add it to {nameof(LayeringTests)}.{nameof(Allowed)} and the README's map");
            foreach (var used in UsedFolders(File.ReadAllText(file)))
            {
                if (!MayUse(folder, used))
                {
                    breaches.Add($"{relative} ({folder}) uses {used}");
                }
            }
        }

        Assert.True(breaches.Count == 0, "Layering broken:\n" + string.Join('\n', breaches));
    }

    [Theory]
    [InlineData("Voices", "Text", true)]
    [InlineData("Text", "Voices", false)]
    [InlineData("Inference", "Voices", false)]
    [InlineData("Telemetry", "Core", false)]
    [InlineData("Core", "Frontends/Mqtt", false)]
    [InlineData("Frontends/Wyoming", "Core", true)]
    [InlineData("Frontends/Wyoming", "Frontends/Mqtt", false)]
    [InlineData("Hosting", "Frontends/Http", true)]
    public void MayUse_FollowsTheTable(string folder, string used, bool expected) => Assert.Equal(expected, MayUse(folder, used));

    [Fact]
    public void UsedFolders_FindsUsingsAliasesAndQualifiedNames()
    {
        const string code = """
            using EdgeVoice.Text;
            using static EdgeVoice.Audio.Wav.WavWriter;
            using Sink = EdgeVoice.Frontends.Mqtt.MqttOutbox;
            namespace EdgeVoice.Voices;
            // EdgeVoice.Core in a comment does not count
            internal sealed class X { private EdgeVoice.Telemetry.Readiness? _r; private string s = "EdgeVoice.Cli"; }
            """;
        Assert.Equal(["Audio", "Frontends/Mqtt", "Telemetry", "Text"], UsedFolders(code).Order(StringComparer.Ordinal));
    }

    private static string FolderOf(string[] segments) => segments[0] == "Frontends" && segments.Length > 2 ? $"Frontends/{segments[1]}" : segments[0];

    private static string Layer(string folder) => folder.StartsWith("Frontends/", StringComparison.Ordinal) ? "Frontends" : folder;

    internal static bool MayUse(string folder, string used)
    {
        if (used == folder)
        {
            return true;
        }

        var allowed = Allowed[Layer(folder)];
        return allowed.Contains("*") || allowed.Contains(Layer(used) == "Frontends" ? "Frontends-none" : used);
    }

    /// <summary>The EdgeVoice folders a file names: in usings (plain, static, aliases) and in qualified names in code. Comments and strings are ignored.</summary>
    internal static HashSet<string> UsedFolders(string code)
    {
        var stripped = CommentsAndStrings().Replace(code, " ");
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in QualifiedName().Matches(stripped))
        {
            var first = match.Groups["first"].Value;
            if (match.Groups["ns"].Success && stripped.AsSpan(0, match.Index).TrimEnd().EndsWith("namespace", StringComparison.Ordinal))
            {
                continue; // the file's own namespace declaration
            }

            found.Add(first == "Frontends" && match.Groups["second"].Success ? $"Frontends/{match.Groups["second"].Value}" : first);
        }

        return found;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeVoice.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("EdgeVoice.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""//[^\n]*|/\*.*?\*/|@"(?:[^"]|"")*"|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])'""", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?(?<ns>EdgeVoice)\.(?<first>[A-Z]\w*)(?:\.(?<second>[A-Z]\w*))?")]
    private static partial Regex QualifiedName();
}
