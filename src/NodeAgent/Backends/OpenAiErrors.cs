using System.Text.Json;

namespace Infera.NodeAgent.Backends;

/// <summary>Finds the human-readable message in the error shapes OpenAI-compatible servers send.</summary>
internal static class OpenAiErrors
{
    /// <summary>
    /// OpenAI, llama.cpp and SGLang send {"error":{"message":..}}; some servers {"error":"..."}; older vLLM
    /// {"object":"error","message":..}. Null when the body is none of these.
    /// </summary>
    public static string? MessageOfBody(string body)
    {
        if (!body.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error) && MessageOf(error) is { } message)
            {
                return message;
            }

            return root.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String
                ? text.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? MessageOf(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString(),
        JsonValueKind.Object when error.TryGetProperty("message", out var message)
            && message.ValueKind == JsonValueKind.String => message.GetString(),
        _ => null,
    };
}
