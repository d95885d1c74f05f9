using Microsoft.Extensions.Options;

namespace Infera.Verification;

/// <summary>What turns outputs into vectors for verification. Section <c>Infera:Verification:Embedding</c>.</summary>
public sealed class EmbeddingOptions
{
    public const string Section = "Infera:Verification:Embedding";

    /// <summary>
    /// "lexical" (built in, no backend), "ollama" (Ollama's /api/embed) or "openai" (an OpenAI-compatible
    /// /v1/embeddings); case is ignored. Default "lexical".
    /// </summary>
    public string Provider { get; set; } = EmbeddingProviders.Lexical;

    /// <summary>The backend's root URL, without /v1, e.g. http://127.0.0.1:11434. Required for ollama and openai.</summary>
    public Uri? Url { get; set; }

    /// <summary>The embedding model, e.g. nomic-embed-text. Required for ollama and openai.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// The name of an environment variable holding an API key, sent to the backend as a bearer token. Default: none,
    /// and no key is sent. The key itself never sits in configuration.
    /// </summary>
    public string? ApiKeyEnvironmentVariable { get; set; }

    /// <summary>How long one embedding call may take before verification falls back to the lexical embedder. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The values of <see cref="EmbeddingOptions.Provider"/>.</summary>
public static class EmbeddingProviders
{
    public const string Lexical = "lexical";
    public const string Ollama = "ollama";
    public const string OpenAi = "openai";

    public static bool Is(string? provider, string name) => string.Equals(provider?.Trim(), name, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Checks the embedding settings at start-up and reports every problem at once, each naming the setting to change.</summary>
internal sealed class EmbeddingOptionsValidator : IValidateOptions<EmbeddingOptions>
{
    // Settlement, and a client that waits for the verdict, wait out a stuck backend this long before the fallback.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, EmbeddingOptions options)
    {
        const string S = EmbeddingOptions.Section;
        var failures = new List<string>();
        var provider = options.Provider;
        var usesBackend = EmbeddingProviders.Is(provider, EmbeddingProviders.Ollama) || EmbeddingProviders.Is(provider, EmbeddingProviders.OpenAi);
        if (!usesBackend && !EmbeddingProviders.Is(provider, EmbeddingProviders.Lexical))
        {
            failures.Add($"{S}:Provider must be 'lexical', 'ollama' or 'openai' (it is '{provider}').");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"{S}:Timeout must be positive and at most {MaxTimeout} (it is {options.Timeout}).");
        }

        if (usesBackend)
        {
            var which = EmbeddingProviders.Is(provider, EmbeddingProviders.Ollama) ? EmbeddingProviders.Ollama : EmbeddingProviders.OpenAi;
            CheckUrl(options.Url, which, failures);
            if (string.IsNullOrWhiteSpace(options.Model))
            {
                failures.Add($"{S}:Model is required when Provider is '{which}' (an embedding model, e.g. nomic-embed-text).");
            }

            if (options.ApiKeyEnvironmentVariable is { Length: > 0 } variable
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
            {
                failures.Add($"{S}:ApiKeyEnvironmentVariable names '{variable}', which is not set; set it or remove the setting.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(Uri? url, string provider, List<string> failures)
    {
        const string Setting = EmbeddingOptions.Section + ":Url";
        if (url is null)
        {
            failures.Add($"{Setting} is required when Provider is '{provider}' (the server's root, e.g. http://127.0.0.1:11434).");
        }
        else if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Setting} must be an absolute http:// or https:// URL (it is '{url}').");
        }
        else if (provider == EmbeddingProviders.OpenAi && url.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{Setting} is the server's root, without /v1 (it is '{url}'); /v1/embeddings is added to it.");
        }
    }
}
