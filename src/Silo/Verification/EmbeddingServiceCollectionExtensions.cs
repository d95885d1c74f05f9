using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Infera.Verification;

/// <summary>Registers the <see cref="IEmbedder"/> that <c>Infera:Verification:Embedding</c> chooses.</summary>
public static class EmbeddingServiceCollectionExtensions
{
    private const string HttpClientKey = EmbeddingOptions.Section;

    /// <summary>
    /// Binds and validates <see cref="EmbeddingOptions"/> at start-up and registers the embedder: the lexical one, or a
    /// backend's wrapped in a <see cref="FallbackEmbedder"/> that falls back to the lexical one.
    /// </summary>
    public static IServiceCollection AddInferaEmbedder(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmbeddingOptions>().Bind(configuration.GetSection(EmbeddingOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddingOptions>, EmbeddingOptionsValidator>());

        // Registered in the container so that it is disposed with it; only built when a backend is chosen.
        services.TryAddKeyedSingleton(HttpClientKey, (sp, _) => CreateHttpClient(sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value));
        services.AddSingleton<IEmbedder>(CreateEmbedder);
        return services;
    }

    private static IEmbedder CreateEmbedder(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<EmbeddingOptions>>().Value;
        if (EmbeddingProviders.Is(options.Provider, EmbeddingProviders.Lexical))
        {
            return new LexicalEmbedder();
        }

        var httpClient = services.GetRequiredKeyedService<HttpClient>(HttpClientKey);
        var model = options.Model!;
        var apiKey = options.ApiKeyEnvironmentVariable is { Length: > 0 } variable ? Environment.GetEnvironmentVariable(variable) : null;
        IEmbedder primary = EmbeddingProviders.Is(options.Provider, EmbeddingProviders.Ollama)
            ? new OllamaEmbedder(httpClient, model, apiKey)
            : EmbeddingProviders.Is(options.Provider, EmbeddingProviders.OpenAi)
                ? new OpenAiEmbedder(httpClient, model, apiKey)
                : throw new InvalidOperationException($"Unknown embedding provider '{options.Provider}'."); // the validator refuses it first
        return new FallbackEmbedder(primary, new LexicalEmbedder(), services.GetRequiredService<ILogger<FallbackEmbedder>>());
    }

    private static HttpClient CreateHttpClient(EmbeddingOptions options) =>
        // One long-lived client; recycling pooled connections lets it follow DNS changes of the backend.
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = options.Url,
            Timeout = options.Timeout,
        };
}
