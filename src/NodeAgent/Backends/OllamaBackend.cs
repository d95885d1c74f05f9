using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Infera.NodeLink;

namespace Infera.NodeAgent.Backends;

/// <summary>Runs jobs on an Ollama server through its REST API (/api/tags, streamed /api/chat).</summary>
public sealed class OllamaBackend : IInferenceBackend
{
    private const string ServerName = "Ollama";

    private readonly HttpClient _httpClient;
    private readonly Uri _root;

    /// <param name="httpClient">Its BaseAddress is the Ollama URL; <see cref="DefaultAddress"/> when unset.</param>
    public OllamaBackend(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _httpClient = httpClient;
        _root = BackendHttp.RootOf(httpClient, DefaultAddress);
    }

    /// <summary>Where Ollama listens unless told otherwise.</summary>
    public static Uri DefaultAddress { get; } = new("http://localhost:11434/");

    public string Kind => "ollama";

    public async Task<IReadOnlyList<ModelOffer>> ListModelsAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_root, "api/tags"));
        using var response = await BackendHttp.SendAsync(_httpClient, request, ServerName, cancellationToken);
        await ThrowIfFailedAsync(response, cancellationToken);
        var tags = await BackendHttp.ReadJsonAsync(
            response, OllamaJsonContext.Default.OllamaTags, ServerName, cancellationToken);
        return [.. (tags.Models ?? []).Select(tag => new ModelOffer(tag.Name, Simulated: false))];
    }

    public async IAsyncEnumerable<BackendChunk> StreamChatAsync(
        BackendRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var httpRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(_root, "api/chat"))
        {
            Content = JsonContent.Create(ToWire(request), OllamaJsonContext.Default.OllamaChatRequest),
        };
        using var response = await BackendHttp.SendAsync(_httpClient, httpRequest, ServerName, cancellationToken);
        await ThrowIfFailedAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var json in NdjsonReader.ReadLinesAsync(body, cancellationToken))
        {
            var line = BackendHttp.ParseJson(json, OllamaJsonContext.Default.OllamaChatLine, ServerName);
            if (line.Error is not null)
            {
                throw new BackendException($"Ollama: {line.Error}");
            }

            if (line.Message?.Content is { Length: > 0 } text)
            {
                yield return new BackendText(text);
            }

            if (line.Done)
            {
                var finishReason = line.DoneReason == "length" ? "length" : "stop";
                yield return new BackendDone(finishReason, line.PromptEvalCount ?? 0, line.EvalCount ?? 0);
                yield break;
            }
        }

        throw new BackendException("Ollama's stream ended before its final \"done\" line.");
    }

    private static OllamaChatRequest ToWire(BackendRequest request)
    {
        var sampling = request.Sampling;
        var stop = sampling.Stop is { Count: > 0 } ? sampling.Stop : null;
        var options = new OllamaOptions(sampling.Seed, sampling.Temperature, sampling.TopP, sampling.MaxTokens, stop);
        return new OllamaChatRequest(request.Model, request.Messages, Stream: true, options);
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await BackendHttp.ReadErrorBodyAsync(response, cancellationToken);
        var text = ErrorText(body) ?? body;
        throw new BackendException(text.Length == 0
            ? $"Ollama answered {BackendHttp.Status(response)}."
            : $"Ollama: {text} ({BackendHttp.Status(response)})");
    }

    private static string? ErrorText(string body)
    {
        if (!body.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, OllamaJsonContext.Default.OllamaError)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
