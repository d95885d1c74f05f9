using System.Text.Json.Serialization;

namespace Infera.NodeLink;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NodeLinkMessage))]
internal sealed partial class NodeLinkJsonContext : JsonSerializerContext;
