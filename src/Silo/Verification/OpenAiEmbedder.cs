namespace Infera.Verification;

/// <summary>
/// Embeds through an OpenAI-compatible <c>POST /v1/embeddings</c> (OpenAI, vLLM, llama.cpp's server, TEI, LiteLLM).
/// </summary>
public sealed class OpenAiEmbedder : IEmbedder
{
    private readonly HttpClient _httpClient;
    private readonly Uri _endpoint;
    private readonly string _model;
    private readonly string? _apiKey;
    private readonly string _serverName;

    /// <param name="httpClient">Its BaseAddress is the server root, without /v1; its Timeout bounds each call.</param>
    /// <param name="model">The embedding model, e.g. text-embedding-3-small.</param>
    /// <param name="apiKey">Sent as a bearer token when the server wants one; null sends none.</param>
    public OpenAiEmbedder(HttpClient httpClient, string model, string? apiKey = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var root = EmbeddingHttp.RootOf(httpClient);
        _httpClient = httpClient;
        _endpoint = new Uri(root, "v1/embeddings");
        _model = model;
        _apiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        _serverName = $"The OpenAI-compatible server at {root}";
        Method = $"openai:{model}-cosine";
    }

    public string Method { get; }

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return []; // OpenAI refuses an empty input list
        }

        // "float" is the API's default; naming it rules out base64, which this embedder does not decode.
        var list = await EmbeddingHttp.PostAsync(
            _httpClient,
            _endpoint,
            _apiKey,
            new OpenAiEmbeddingRequest(_model, texts, "float"),
            EmbeddingJsonContext.Default.OpenAiEmbeddingRequest,
            EmbeddingJsonContext.Default.OpenAiEmbeddingList,
            _serverName,
            cancellationToken);
        return EmbeddingHttp.CheckShape(InInputOrder(list.Data ?? [], texts.Count), texts.Count, _serverName);
    }

    /// <summary>Places each embedding at its "index"; the API does not promise the list is in input order.</summary>
    private float[]?[] InInputOrder(IReadOnlyList<OpenAiEmbedding> data, int texts)
    {
        if (data.Count != texts)
        {
            return [.. data.Select(d => d.Embedding)]; // CheckShape reports the count
        }

        var ordered = new float[]?[texts];
        foreach (var item in data)
        {
            if (item.Index < 0 || item.Index >= texts)
            {
                throw new EmbeddingException($"{_serverName} returned an embedding with index {item.Index} for {texts} texts.");
            }

            if (ordered[item.Index] is not null)
            {
                throw new EmbeddingException($"{_serverName} returned two embeddings with index {item.Index}.");
            }

            ordered[item.Index] = item.Embedding ?? [];
        }

        return ordered;
    }
}
