using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Infera.NodeLink;

namespace Infera.NodeAgent.Backends;

/// <summary>
/// Runs jobs on a server that speaks OpenAI's chat completions API (vLLM, SGLang, llama.cpp's server, MAX), streamed
/// as Server-Sent Events.
/// </summary>
public sealed class OpenAiCompatibleBackend : IInferenceBackend
{
    private const string ServerName = "The OpenAI-compatible server";
    private const string DoneMarker = "[DONE]";

    private readonly HttpClient _httpClient;
    private readonly Uri _root;
    private readonly string? _apiKey;

    /// <param name="httpClient">Its BaseAddress is the server root (e.g. http://127.0.0.1:8000), without /v1.</param>
    /// <param name="apiKey">Sent as a bearer token when the server wants one.</param>
    public OpenAiCompatibleBackend(HttpClient httpClient, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: the server's root URL.", nameof(httpClient));
        }

        _httpClient = httpClient;
        _root = BackendHttp.RootOf(httpClient, httpClient.BaseAddress);
        _apiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
    }

    public string Kind => "openai";

    public async Task<IReadOnlyList<ModelOffer>> ListModelsAsync(CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, "v1/models");
        using var response = await BackendHttp.SendAsync(_httpClient, request, ServerName, cancellationToken);
        await ThrowIfFailedAsync(response, cancellationToken);
        var list = await BackendHttp.ReadJsonAsync(
            response, OpenAiJsonContext.Default.OpenAiModelList, ServerName, cancellationToken);
        return [.. (list.Data ?? []).Select(model => new ModelOffer(model.Id, Simulated: false))];
    }

    public async IAsyncEnumerable<BackendChunk> StreamChatAsync(
        BackendRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var httpRequest = NewRequest(HttpMethod.Post, "v1/chat/completions");
        httpRequest.Content = JsonContent.Create(ToWire(request), OpenAiJsonContext.Default.OpenAiChatRequest);
        httpRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await BackendHttp.SendAsync(_httpClient, httpRequest, ServerName, cancellationToken);
        await ThrowIfFailedAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);

        string? finishReason = null;
        OpenAiUsage? usage = null;
        var sawDone = false;
        await foreach (var data in SseReader.ReadDataAsync(body, cancellationToken))
        {
            if (data.Trim() == DoneMarker)
            {
                sawDone = true;
                break;
            }

            if (string.IsNullOrWhiteSpace(data))
            {
                continue;
            }

            var chunk = BackendHttp.ParseJson(data, OpenAiJsonContext.Default.OpenAiChunk, ServerName);
            if (chunk.Error is { ValueKind: not JsonValueKind.Null } error)
            {
                var message = OpenAiErrors.MessageOf(error) ?? error.GetRawText();
                throw new BackendException($"{ServerName} failed mid-stream: {message}");
            }

            usage = chunk.Usage ?? usage;
            var choice = chunk.Choices?.FirstOrDefault(c => c.Index == 0);
            if (choice?.Delta?.Content is { Length: > 0 } text)
            {
                yield return new BackendText(text);
            }

            finishReason = choice?.FinishReason ?? finishReason;
        }

        if (!sawDone && finishReason is null)
        {
            throw new BackendException($"{ServerName}'s stream ended early, without a finish reason or [DONE].");
        }

        yield return new BackendDone(
            finishReason == "length" ? "length" : "stop", usage?.PromptTokens ?? 0, usage?.CompletionTokens ?? 0);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(_root, path));
        if (_apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        return request;
    }

    private static OpenAiChatRequest ToWire(BackendRequest request)
    {
        var sampling = request.Sampling;
        return new OpenAiChatRequest(
            request.Model,
            request.Messages,
            Stream: true,
            new OpenAiStreamOptions(IncludeUsage: true),
            sampling.MaxTokens,
            sampling.Temperature,
            sampling.TopP,
            sampling.Seed,
            sampling.Stop is { Count: > 0 } ? sampling.Stop : null);
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await BackendHttp.ReadErrorBodyAsync(response, cancellationToken);
        var status = BackendHttp.Status(response);
        throw new BackendException(OpenAiErrors.MessageOfBody(body) is { } message
            ? $"{ServerName}: {message} ({status})"
            : $"{ServerName} answered {status}: {body}".TrimEnd(' ', ':'));
    }
}
