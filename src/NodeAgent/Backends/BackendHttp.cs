using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Infera.NodeAgent.Backends;

/// <summary>HTTP plumbing the adapters share: URLs, sending, and transport failures as <see cref="BackendException"/>.</summary>
internal static class BackendHttp
{
    // An error body is shown to people; more than this is noise, and reading it all would let a server stall us.
    private const int MaxErrorChars = 4096;

    /// <summary>The server root with a trailing slash, so relative paths keep any path prefix it has.</summary>
    public static Uri RootOf(HttpClient httpClient, Uri fallback)
    {
        var root = httpClient.BaseAddress ?? fallback;
        return root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
    }

    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient httpClient, HttpRequestMessage request, string serverName, CancellationToken cancellationToken)
    {
        try
        {
            return await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new BackendException($"{serverName} at {request.RequestUri} is unreachable: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BackendException($"{serverName} at {request.RequestUri} did not answer in time.", e);
        }
    }

    public static async Task<T> ReadJsonAsync<T>(
        HttpResponseMessage response, JsonTypeInfo<T> typeInfo, string serverName, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
                ?? throw new BackendException($"{serverName} answered {response.RequestMessage?.RequestUri} with null.");
        }
        catch (JsonException e)
        {
            throw new BackendException($"{serverName} sent malformed JSON: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new BackendException($"The connection to {serverName} dropped: {e.Message}", e);
        }
    }

    public static T ParseJson<T>(string json, JsonTypeInfo<T> typeInfo, string serverName)
    {
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo)
                ?? throw new BackendException($"{serverName} sent null where a JSON object belongs.");
        }
        catch (JsonException e)
        {
            throw new BackendException($"{serverName} sent malformed JSON: {e.Message}", e);
        }
    }

    /// <summary>The start of an error response's body, read with a bound.</summary>
    public static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxErrorChars];
            var length = await reader.ReadBlockAsync(buffer, cancellationToken);
            return new string(buffer, 0, length).Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
    }

    /// <summary>"404 Not Found": the status as people know it.</summary>
    public static string Status(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
}
