using System.Text.Json;
using System.Text.Json.Serialization;

namespace Infera.Cluster;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(ClusterMessage))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;

/// <summary>The bus's wire format: UTF-8 JSON, one message per body.</summary>
public static class ClusterWire
{
    public static byte[] Serialize(ClusterMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, ClusterJsonContext.Default.ClusterMessage);

    /// <summary>Parses one body; anything else is a <see cref="JsonException"/>.</summary>
    public static ClusterMessage Deserialize(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, ClusterJsonContext.Default.ClusterMessage)
        ?? throw new JsonException("The message body is null.");
}
