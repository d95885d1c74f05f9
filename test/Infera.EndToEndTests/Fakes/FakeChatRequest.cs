using System.Text.Json.Nodes;
using Infera.Jobs;
using Infera.NodeAgent.Backends;

namespace Infera.EndToEndTests.Fakes;

/// <summary>What a fake server needs from a chat request, read from either wire format.</summary>
public sealed record FakeChatRequest(
    string? Model, IReadOnlyList<ChatMessage> Messages, bool? Stream, long Seed, int? MaxTokens, IReadOnlyList<string>? Stop)
{
    /// <summary>Ollama's /api/chat: sampling settings sit under "options".</summary>
    public static FakeChatRequest FromOllama(JsonNode body)
    {
        var options = body["options"];
        return new FakeChatRequest(
            body["model"]?.GetValue<string>(),
            ReadMessages(body["messages"]),
            body["stream"]?.GetValue<bool>(),
            options?["seed"]?.GetValue<long>() ?? 0,
            options?["num_predict"]?.GetValue<int>(),
            ReadStop(options?["stop"]));
    }

    /// <summary>OpenAI's /v1/chat/completions: sampling settings at the top; "max_completion_tokens" is the newer name.</summary>
    public static FakeChatRequest FromOpenAi(JsonNode body) => new(
        body["model"]?.GetValue<string>(),
        ReadMessages(body["messages"]),
        body["stream"]?.GetValue<bool>(),
        body["seed"]?.GetValue<long>() ?? 0,
        body["max_completion_tokens"]?.GetValue<int>() ?? body["max_tokens"]?.GetValue<int>(),
        ReadStop(body["stop"]));

    /// <summary>The simulated model's answer to this request.</summary>
    public SimulatedCompletion Complete() =>
        SimulatedTextGenerator.Complete(Model ?? string.Empty, Messages, Seed, MaxTokens, Stop);

    private static List<ChatMessage> ReadMessages(JsonNode? messages) =>
        [.. (messages?.AsArray() ?? []).Select(m => new ChatMessage(m!["role"]!.GetValue<string>(), Content(m["content"])))];

    // OpenAI clients may send content as an array of parts; only text parts matter here.
    private static string Content(JsonNode? content) => content switch
    {
        null => string.Empty,
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? string.Empty)),
        _ => content.GetValue<string>(),
    };

    private static List<string>? ReadStop(JsonNode? stop) => stop switch
    {
        null => null,
        JsonArray items => [.. items.Select(i => i!.GetValue<string>())],
        _ => [stop.GetValue<string>()],
    };
}
