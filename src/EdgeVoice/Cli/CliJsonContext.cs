using System.Text.Json.Serialization;
using EdgeVoice.Text;
using EdgeVoice.Voices;

namespace EdgeVoice.Cli;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(TextChunk))]
[JsonSerializable(typeof(IReadOnlyList<VoiceInfo>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
