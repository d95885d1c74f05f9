using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Infera.ClusterTests.Support;

/// <summary>How one client request ended, as the client saw it.</summary>
public sealed record JobOutcome(string? JobId, string Kind, string? Reason, string Gateway)
{
    public const string Completed = "completed";

    /// <summary>Ended with an OpenAI error object (status or SSE error event) that says why.</summary>
    public const string FailedWithReason = "failed-with-reason";

    /// <summary>No answer and no reason: the stream broke or hung.</summary>
    public const string Lost = "lost";

    /// <summary>Streams one chat completion and classifies its ending.</summary>
    public static async Task<JobOutcome> RunAsync(HttpClient client, Uri gateway, string name, int maxTokens)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "/v1/chat/completions"))
        {
            Content = JsonContent.Create(new
            {
                model = TestCluster.Model,
                stream = true,
                max_tokens = maxTokens,
                messages = new[] { new { role = "user", content = $"Tell me about clusters, request {Guid.NewGuid():N}" } },
            }),
        };
        string? jobId = null;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            jobId = response.Headers.TryGetValues("x-infera-job-id", out var ids) ? ids.First() : null;
            if (!response.IsSuccessStatusCode)
            {
                var reason = ErrorMessage(await response.Content.ReadAsStringAsync());
                return new JobOutcome(jobId, reason is null ? Lost : FailedWithReason, reason ?? $"HTTP {(int)response.StatusCode} without an error object", name);
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
                    return text.Length > 0 ? new JobOutcome(jobId, Completed, null, name) : new JobOutcome(jobId, Lost, "[DONE] with no text", name);
                }

                if (ErrorMessage(data) is { } error)
                {
                    return new JobOutcome(jobId, FailedWithReason, error, name);
                }

                using var chunk = JsonDocument.Parse(data);
                if (chunk.RootElement.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                    && choices[0].GetProperty("delta").TryGetProperty("content", out var content))
                {
                    text.Append(content.GetString());
                }
            }

            return new JobOutcome(jobId, Lost, "the stream ended without [DONE] or an error", name);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return new JobOutcome(jobId, Lost, ex.GetType().Name + ": " + ex.Message, name);
        }
    }

    private static string? ErrorMessage(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var message)
                ? message.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
