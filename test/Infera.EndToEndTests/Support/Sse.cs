using System.Text;

namespace Infera.EndToEndTests.Support;

/// <summary>Reads a Server-Sent Events response as its <c>data:</c> payloads, one at a time.</summary>
public static class Sse
{
    public static async Task<HttpResponseMessage> PostStreamAsync(HttpClient http, string body) =>
        await http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead);

    public static async IAsyncEnumerable<string> ReadDataAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return line["data: ".Length..];
            }
        }
    }
}
