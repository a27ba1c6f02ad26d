using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace EdgeVoice.Telemetry;

/// <summary>JSON as EdgeVoice writes it for people and dashboards: source-generated, with Chinese and other text left readable.</summary>
internal static class JsonText
{
    /// <summary>
    /// The type's metadata from a source-generated context, with an encoder that leaves non-ASCII
    /// text as it is (<c>你好</c>, not <c>\u4F60\u597D</c>). Safe here: EdgeVoice's JSON never lands in HTML.
    /// </summary>
    public static JsonTypeInfo<T> Readable<T>(JsonSerializerContext context)
    {
        var options = new JsonSerializerOptions(context.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.MakeReadOnly();
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
