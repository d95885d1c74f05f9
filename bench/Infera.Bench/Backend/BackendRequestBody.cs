using System.Text.Json;
using Infera.Jobs;

namespace Infera.Bench.Backend;

/// <summary>The fields of an OpenAI chat completion request that the simulated backend uses.</summary>
internal sealed record BackendRequestBody(
    string Model, IReadOnlyList<ChatMessage> Messages, bool Stream, bool IncludeUsage, int? MaxTokens, long Seed)
{
    public int PromptTokens => SimulatedPromptTokens(Messages);

    public static BackendRequestBody Read(JsonElement root)
    {
        var messages = new List<ChatMessage>();
        if (root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in list.EnumerateArray())
            {
                messages.Add(new ChatMessage(String(m, "role") ?? "user", String(m, "content") ?? string.Empty));
            }
        }

        int? maxTokens = root.TryGetProperty("max_completion_tokens", out var mct) && mct.ValueKind == JsonValueKind.Number ? mct.GetInt32()
            : root.TryGetProperty("max_tokens", out var mt) && mt.ValueKind == JsonValueKind.Number ? mt.GetInt32()
            : null;
        return new BackendRequestBody(
            String(root, "model") ?? string.Empty,
            messages,
            root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True,
            root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
                && so.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True,
            maxTokens,
            root.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number ? seed.GetInt64() : 0);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int SimulatedPromptTokens(IReadOnlyList<ChatMessage> messages) =>
        Infera.NodeAgent.Backends.SimulatedTextGenerator.EstimatePromptTokens(messages);
}
