using System.Text.Json.Serialization;

namespace Infera.Gateway.OpenAi;

/// <summary>The body of <c>GET /v1/models</c>.</summary>
public sealed record ModelList(
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelEntry> Data);

/// <summary>One model; <c>infera</c> says whether it is simulated and how many live nodes serve it.</summary>
public sealed record ModelEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy,
    [property: JsonPropertyName("infera")] ModelDetails Infera);

public sealed record ModelDetails(
    [property: JsonPropertyName("simulated")] bool Simulated,
    [property: JsonPropertyName("nodes")] int Nodes);
