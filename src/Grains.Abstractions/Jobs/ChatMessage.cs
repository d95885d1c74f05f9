using System.Text.Json.Serialization;

namespace Infera.Jobs;

/// <summary>One message of a chat: role and plain text content.</summary>
public sealed record ChatMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);

/// <summary>
/// Sampling settings, identical for every replica of a job so that honest nodes can be compared.
/// </summary>
public sealed record SamplingParameters(
    [property: JsonPropertyName("max_tokens")] int? MaxTokens,
    [property: JsonPropertyName("temperature")] double? Temperature,
    [property: JsonPropertyName("top_p")] double? TopP,
    [property: JsonPropertyName("seed")] long Seed,
    [property: JsonPropertyName("stop")] IReadOnlyList<string>? Stop);
