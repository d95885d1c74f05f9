using System.Text.Json;
using System.Text.Json.Serialization;
using Infera.Jobs;

namespace Infera.NodeAgent.Backends;

// The OpenAI chat completions API as the adapter uses it: https://platform.openai.com/docs/api-reference/chat

internal sealed record OpenAiModelList([property: JsonPropertyName("data")] IReadOnlyList<OpenAiModel>? Data);

internal sealed record OpenAiModel([property: JsonPropertyName("id")] string Id);

internal sealed record OpenAiChatRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("messages")] IReadOnlyList<ChatMessage> Messages,
    [property: JsonPropertyName("stream")] bool Stream,
    [property: JsonPropertyName("stream_options")] OpenAiStreamOptions? StreamOptions,
    [property: JsonPropertyName("max_tokens")] int? MaxTokens,
    [property: JsonPropertyName("temperature")] double? Temperature,
    [property: JsonPropertyName("top_p")] double? TopP,
    [property: JsonPropertyName("seed")] long? Seed,
    [property: JsonPropertyName("stop")] IReadOnlyList<string>? Stop);

internal sealed record OpenAiStreamOptions([property: JsonPropertyName("include_usage")] bool IncludeUsage);

/// <summary>One "chat.completion.chunk" event; the usage chunk has no choices. Some servers send errors in-stream.</summary>
internal sealed record OpenAiChunk(
    [property: JsonPropertyName("choices")] IReadOnlyList<OpenAiChoice>? Choices,
    [property: JsonPropertyName("usage")] OpenAiUsage? Usage,
    [property: JsonPropertyName("error")] JsonElement? Error);

internal sealed record OpenAiChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("delta")] OpenAiDelta? Delta,
    [property: JsonPropertyName("finish_reason")] string? FinishReason);

internal sealed record OpenAiDelta([property: JsonPropertyName("content")] string? Content);

internal sealed record OpenAiUsage(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OpenAiModelList))]
[JsonSerializable(typeof(OpenAiChatRequest))]
[JsonSerializable(typeof(OpenAiChunk))]
internal sealed partial class OpenAiJsonContext : JsonSerializerContext;
