using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Infera.Verification;

/// <summary>HTTP plumbing the backend embedders share; every failure of the backend becomes an <see cref="EmbeddingException"/>.</summary>
internal static class EmbeddingHttp
{
    // An error body is shown to people; past this it is noise.
    private const int MaxErrorChars = 1024;

    /// <summary>The server root with a trailing slash, so relative paths keep any path prefix it has.</summary>
    public static Uri RootOf(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        var root = httpClient.BaseAddress
            ?? throw new ArgumentException("The HttpClient needs a BaseAddress: the server's root URL.", nameof(httpClient));
        return root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
    }

    /// <summary>
    /// Posts <paramref name="body"/> and reads the answer. The whole answer is buffered (it is a few hundred KB at
    /// most), so the client's Timeout bounds the body as well as the headers.
    /// </summary>
    public static async Task<TResponse> PostAsync<TRequest, TResponse>(
        HttpClient httpClient,
        Uri endpoint,
        string? apiKey,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        string serverName,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(body, requestType) };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new EmbeddingException(await FailureMessageAsync(response, serverName, cancellationToken));
            }

            // Read as UTF-8 whatever the charset says: a wrong charset should not cost a verification.
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(stream, responseType, cancellationToken)
                ?? throw new EmbeddingException($"{serverName} answered {endpoint} with null.");
        }
        catch (HttpRequestException e)
        {
            throw new EmbeddingException($"{serverName} at {endpoint} is unreachable: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EmbeddingException($"{serverName} at {endpoint} did not answer within {httpClient.Timeout.TotalSeconds:0.###} s.", e);
        }
        catch (JsonException e)
        {
            throw new EmbeddingException($"{serverName} sent malformed JSON: {e.Message}", e);
        }
    }

    /// <summary>Checks that there is one vector per text and that all are of one non-zero length.</summary>
    public static float[][] CheckShape(IReadOnlyList<float[]?> vectors, int texts, string serverName)
    {
        if (vectors.Count != texts)
        {
            throw new EmbeddingException($"{serverName} returned {vectors.Count} embeddings for {texts} texts.");
        }

        var result = new float[texts][];
        for (var i = 0; i < texts; i++)
        {
            var vector = vectors[i];
            if (vector is null || vector.Length == 0)
            {
                throw new EmbeddingException($"{serverName} returned no embedding for text {i}.");
            }

            if (i > 0 && vector.Length != result[0].Length)
            {
                throw new EmbeddingException(
                    $"{serverName} returned embeddings of differing lengths ({result[0].Length} for text 0, {vector.Length} for text {i}).");
            }

            result[i] = vector;
        }

        return result;
    }

    private static async Task<string> FailureMessageAsync(
        HttpResponseMessage response, string serverName, CancellationToken cancellationToken)
    {
        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}";
        if (ErrorMessageOf(body) is { } message)
        {
            return $"{serverName}: {message} ({status})";
        }

        body = body.Length > MaxErrorChars ? body[..MaxErrorChars] + "…" : body;
        return $"{serverName} answered {status}: {body}".TrimEnd(' ', ':');
    }

    /// <summary>Ollama sends {"error":"..."}; OpenAI and the servers that copy it {"error":{"message":"..."}}.</summary>
    private static string? ErrorMessageOf(string body)
    {
        if (!body.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var error))
            {
                return null;
            }

            return error.ValueKind switch
            {
                JsonValueKind.String => error.GetString(),
                JsonValueKind.Object when error.TryGetProperty("message", out var message)
                    && message.ValueKind == JsonValueKind.String => message.GetString(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
