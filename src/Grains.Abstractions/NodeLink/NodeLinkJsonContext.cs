using System.Text.Json.Serialization;

namespace Infera.NodeLink;

// Peers in other languages need not write "type" first, so the discriminator is accepted anywhere in the object.
// A frame that leaves out a field its message needs, or sends null for one that cannot be null, is refused.
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(NodeLinkMessage))]
internal sealed partial class NodeLinkJsonContext : JsonSerializerContext;
