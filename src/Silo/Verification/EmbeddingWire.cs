using System.Text.Json.Serialization;

namespace Infera.Verification;

// Ollama: https://github.com/ollama/ollama/blob/main/docs/api.md#generate-embeddings
// OpenAI: https://platform.openai.com/docs/api-reference/embeddings/create

internal sealed record OllamaEmbedRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("input")] IReadOnlyList<string> Input);

internal sealed record OllamaEmbedResponse(
    [property: JsonPropertyName("embeddings")] IReadOnlyList<float[]>? Embeddings);

internal sealed record OpenAiEmbeddingRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("input")] IReadOnlyList<string> Input,
    [property: JsonPropertyName("encoding_format")] string EncodingFormat);

internal sealed record OpenAiEmbeddingList(
    [property: JsonPropertyName("data")] IReadOnlyList<OpenAiEmbedding>? Data);

internal sealed record OpenAiEmbedding(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("embedding")] float[]? Embedding);

[JsonSerializable(typeof(OllamaEmbedRequest))]
[JsonSerializable(typeof(OllamaEmbedResponse))]
[JsonSerializable(typeof(OpenAiEmbeddingRequest))]
[JsonSerializable(typeof(OpenAiEmbeddingList))]
internal sealed partial class EmbeddingJsonContext : JsonSerializerContext;
