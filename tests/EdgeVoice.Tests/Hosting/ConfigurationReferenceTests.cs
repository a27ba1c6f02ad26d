using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using EdgeVoice.Hosting;

namespace EdgeVoice.Tests.Hosting;

/// <summary>
/// docs/CONFIGURATION.md is made from the options classes themselves: every key, its type, its
/// default and its XML documentation. The test fails when a key is undocumented or the page is stale;
/// <c>scripts/config-reference.sh</c> rewrites the page.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    private static readonly Assembly Product = typeof(EdgeVoiceHost).Assembly;

    [Fact]
    public void EveryKey_HasADescription()
    {
        var undocumented = Sections().SelectMany(s => Keys(s.Type, s.Name, s.Instance))
            .Where(k => k.Description.Length == 0)
            .Select(k => k.Path)
            .ToList();

        Assert.True(undocumented.Count == 0, "Options without a <summary>: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void EverySectionTheHostBinds_IsInTheReference()
    {
        // The host binds each section by its Section constant; the reference is made from the same constants.
        var hostSource = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "EdgeVoiceHost.cs"));
        var bound = BindCall().Matches(hostSource).Select(m => m.Groups["type"].Value).Order().ToList();

        Assert.Equal(bound, Sections().Select(s => s.Type.Name).Order().ToList());
    }

    [Fact]
    public void ThePage_IsUpToDate()
    {
        var generated = Render();
        if (Environment.GetEnvironmentVariable("EDGEVOICE_CONFIG_REFERENCE_OUT") is { Length: > 0 } target)
        {
            File.WriteAllText(target, generated);
        }

        var committed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "CONFIGURATION.md"));
        Assert.True(committed == generated, "docs/CONFIGURATION.md is stale: run scripts/config-reference.sh");
    }

    private sealed record Section(string Name, Type Type, object Instance);

    private sealed record Key(string Path, string TypeName, string Default, string Description);

    /// <summary>Each options class with a <c>Section</c> constant, in the order the page lists them.</summary>
    private static IEnumerable<Section> Sections() =>
        Product.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .Select(t => new Section((string)t.GetField("Section")!.GetRawConstantValue()!, t, Activator.CreateInstance(t)!))
            .OrderBy(s => Array.IndexOf(Order, s.Name) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(s => s.Name, StringComparer.Ordinal);

    private static readonly string[] Order = ["Mqtt", "Voices", "Text", "Audio", "Limits", "Inference", "Telemetry", "Systemd", "Hermes", "HomeAssistant"];

    private static IEnumerable<Key> Keys(Type type, string prefix, object instance)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = prefix + ":" + property.Name;
            var value = property.GetValue(instance);
            if (IsNested(property.PropertyType))
            {
                foreach (var key in Keys(property.PropertyType, path, value!))
                {
                    yield return key;
                }

                continue;
            }

            yield return new Key(path, TypeName(property.PropertyType), Format(property, value), Description(property));
        }
    }

    private static bool IsNested(Type type) =>
        type.IsClass && type != typeof(string) && type.Assembly == Product && !type.IsEnum;

    private static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return TypeName(inner) + " (optional)";
        }

        return type switch
        {
            _ when type == typeof(string) => "text",
            _ when type == typeof(bool) => "true/false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(uint) => "integer",
            _ when type == typeof(double) || type == typeof(float) => "number",
            _ when type.IsEnum => string.Join(" / ", Enum.GetNames(type)),
            _ when type.IsArray => TypeName(type.GetElementType()!) + " list",
            _ when type.IsGenericType && type.GetGenericArguments().Length == 1 => TypeName(type.GetGenericArguments()[0]) + " list",
            _ when type.IsGenericType && type.GetGenericArguments().Length == 2 => "map of " + TypeName(type.GetGenericArguments()[1]),
            _ => type.Name,
        };
    }

    private static string Format(PropertyInfo property, object? value)
    {
        // Defaults that depend on the machine or the environment are described, not printed.
        if (MachineDefaults.TryGetValue(property.DeclaringType!.Name + "." + property.Name, out var described))
        {
            return described;
        }

        return value switch
        {
            null => "empty",
            string { Length: 0 } => "empty",
            string s => "`" + s + "`",
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            System.Collections.IEnumerable e => e.Cast<object>().Any() ? "`" + string.Join(",", e.Cast<object>()) + "`" : "empty",
            _ => value.ToString() ?? "",
        };
    }

    private static readonly Dictionary<string, string> MachineDefaults = new()
    {
        ["MqttOptions.Device"] = "host name",
        ["SystemdOptions.NotifySocket"] = "`$NOTIFY_SOCKET`",
        ["SystemdOptions.WatchdogMicroseconds"] = "`$WATCHDOG_USEC`, else 0",
    };

    private static readonly Lazy<Dictionary<string, string>> Docs = new(() =>
        XDocument.Load(Path.Combine(AppContext.BaseDirectory, "edgevoice.xml"))
            .Descendants("member")
            .Where(m => ((string?)m.Attribute("name"))?.StartsWith("P:", StringComparison.Ordinal) == true)
            .ToDictionary(m => ((string)m.Attribute("name")!)[2..], m => Text(m.Element("summary"))));

    private static string Description(PropertyInfo property) =>
        Docs.Value.GetValueOrDefault(property.DeclaringType!.FullName + "." + property.Name, "");

    /// <summary>The summary as one line of Markdown: <c>c</c> becomes code, <c>see</c> its member's name.</summary>
    private static string Text(XElement? summary)
    {
        if (summary is null)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "c" } c => "`" + c.Value + "`",
                XElement { Name.LocalName: "see" } see => "`" + ((string?)see.Attribute("cref") ?? "").Split('.')[^1] + "`",
                XElement e => e.Value,
                _ => "",
            });
        }

        return Whitespace().Replace(text.ToString(), " ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
    }

    private static string Render()
    {
        var page = new StringBuilder();
        page.AppendLine("# Configuration reference");
        page.AppendLine();
        page.AppendLine("<!-- Made from the options classes by tests/EdgeVoice.Tests/Hosting/ConfigurationReferenceTests.cs; rewrite with scripts/config-reference.sh, do not edit. -->");
        page.AppendLine();
        page.AppendLine("Sources, weakest first: `appsettings.json` beside the binary, `/etc/edgevoice/appsettings.json`,");
        page.AppendLine("environment variables `EDGEVOICE_<Section>__<Key>` (`EDGEVOICE_Mqtt__Broker`), arguments");
        page.AppendLine("`--<Section>:<Key>=value`, and the plain flags of `edgevoice serve`. Every section is validated at");
        page.AppendLine("start; an unknown key or a bad value stops the daemon with a sentence naming the key (exit code 2).");
        foreach (var section in Sections())
        {
            page.AppendLine();
            page.AppendLine("## " + section.Name);
            page.AppendLine();
            page.AppendLine("| key | type | default | meaning |");
            page.AppendLine("|---|---|---|---|");
            foreach (var key in Keys(section.Type, section.Name, section.Instance))
            {
                page.AppendLine(CultureInfo.InvariantCulture, $"| `{key.Path}` | {key.TypeName} | {key.Default} | {key.Description} |");
            }
        }

        return page.ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"AddOptions<(?<type>\w+Options)>\(\)\.BindConfiguration")]
    private static partial Regex BindCall();
}
