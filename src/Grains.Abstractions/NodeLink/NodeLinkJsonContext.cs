using System.Text.Json.Serialization;

namespace Infera.NodeLink;

// Peers in other languages need not write "type" first, so the discriminator is accepted anywhere in the object.
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(NodeLinkMessage))]
internal sealed partial class NodeLinkJsonContext : JsonSerializerContext;
