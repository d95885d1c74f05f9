namespace Infera.Verification;

/// <summary>Embeds through Ollama's <c>POST /api/embed</c> with an embedding model such as nomic-embed-text.</summary>
public sealed class OllamaEmbedder : IEmbedder
{
    private readonly HttpClient _httpClient;
    private readonly Uri _endpoint;
    private readonly string _model;
    private readonly string? _apiKey;
    private readonly string _serverName;

    /// <param name="httpClient">Its BaseAddress is Ollama's root (e.g. http://127.0.0.1:11434); its Timeout bounds each call.</param>
    /// <param name="model">The embedding model, as Ollama names it.</param>
    /// <param name="apiKey">Sent as a bearer token, for an Ollama behind an authenticating proxy; null sends none.</param>
    public OllamaEmbedder(HttpClient httpClient, string model, string? apiKey = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var root = EmbeddingHttp.RootOf(httpClient);
        _httpClient = httpClient;
        _endpoint = new Uri(root, "api/embed");
        _model = model;
        _apiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        _serverName = $"Ollama at {root}";
        Method = $"ollama:{model}-cosine";
    }

    public string Method { get; }

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var response = await EmbeddingHttp.PostAsync(
            _httpClient,
            _endpoint,
            _apiKey,
            new OllamaEmbedRequest(_model, texts),
            EmbeddingJsonContext.Default.OllamaEmbedRequest,
            EmbeddingJsonContext.Default.OllamaEmbedResponse,
            _serverName,
            cancellationToken);
        return EmbeddingHttp.CheckShape(response.Embeddings ?? [], texts.Count, _serverName);
    }
}
