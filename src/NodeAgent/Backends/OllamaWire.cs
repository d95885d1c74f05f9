using System.Text.Json.Serialization;
using Infera.Jobs;

namespace Infera.NodeAgent.Backends;

// Ollama's REST API as the adapter uses it: https://github.com/ollama/ollama/blob/main/docs/api.md

internal sealed record OllamaTags([property: JsonPropertyName("models")] IReadOnlyList<OllamaTag>? Models);

internal sealed record OllamaTag([property: JsonPropertyName("name")] string Name);

internal sealed record OllamaChatRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("messages")] IReadOnlyList<ChatMessage> Messages,
    [property: JsonPropertyName("stream")] bool Stream,
    [property: JsonPropertyName("options")] OllamaOptions Options);

internal sealed record OllamaOptions(
    [property: JsonPropertyName("seed")] long Seed,
    [property: JsonPropertyName("temperature")] double? Temperature,
    [property: JsonPropertyName("top_p")] double? TopP,
    [property: JsonPropertyName("num_predict")] int? NumPredict,
    [property: JsonPropertyName("stop")] IReadOnlyList<string>? Stop);

/// <summary>One line of a streamed /api/chat answer; the last has done = true and the counts.</summary>
internal sealed record OllamaChatLine(
    [property: JsonPropertyName("message")] OllamaMessage? Message,
    [property: JsonPropertyName("done")] bool Done,
    [property: JsonPropertyName("done_reason")] string? DoneReason,
    [property: JsonPropertyName("prompt_eval_count")] int? PromptEvalCount,
    [property: JsonPropertyName("eval_count")] int? EvalCount,
    [property: JsonPropertyName("error")] string? Error);

internal sealed record OllamaMessage(
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("content")] string? Content);

internal sealed record OllamaError([property: JsonPropertyName("error")] string? Error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OllamaTags))]
[JsonSerializable(typeof(OllamaChatRequest))]
[JsonSerializable(typeof(OllamaChatLine))]
[JsonSerializable(typeof(OllamaError))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;
