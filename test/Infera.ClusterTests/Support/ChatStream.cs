using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Infera.ClusterTests.Support;

/// <summary>How a streamed chat completion ended: its text, and the error event that ended it, if one did.</summary>
public sealed record ChatStream(string Text, bool Done, string? Error)
{
    /// <summary>What <see cref="RunAsync"/> asks.</summary>
    public static readonly IReadOnlyList<Jobs.ChatMessage> Messages = [new("user", "Tell me a long story about message brokers.")];

    /// <summary>
    /// Streams one chat completion with a fixed seed (the simulated backend then answers the same text every time) and
    /// calls <paramref name="onText"/> at each piece of text.
    /// </summary>
    public static async Task<ChatStream> RunAsync(HttpClient client, Uri gateway, string apiKey, long seed, int maxTokens, Action? onText = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "/v1/chat/completions"))
        {
            Content = JsonContent.Create(new
            {
                model = TestCluster.Model,
                stream = true,
                seed,
                max_tokens = maxTokens,
                messages = Messages.Select(m => new { role = m.Role, content = m.Content }),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            return new ChatStream(string.Empty, false, $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
        var text = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                return new ChatStream(text.ToString(), true, null);
            }

            using var frame = JsonDocument.Parse(data);
            if (frame.RootElement.TryGetProperty("error", out var error))
            {
                return new ChatStream(text.ToString(), false, error.GetProperty("message").GetString());
            }

            if (frame.RootElement.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("content", out var content))
            {
                text.Append(content.GetString());
                onText?.Invoke();
            }
        }

        return new ChatStream(text.ToString(), false, "the stream ended without [DONE] or an error event");
    }
}
