using Infera.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Infera.UnitTests.Verification;

public sealed class EmbeddingOptionsTests
{
    private readonly EmbeddingOptionsValidator _validator = new();

    private IReadOnlyList<string> Failures(EmbeddingOptions options) =>
        [.. _validator.Validate(name: null, options).Failures ?? []];

    private static EmbeddingOptions Ollama() =>
        new() { Provider = "ollama", Url = new Uri("http://127.0.0.1:11434"), Model = "nomic-embed-text" };

    [Test]
    public void Defaults_are_the_lexical_embedder_with_a_30_second_timeout_and_valid()
    {
        var options = new EmbeddingOptions();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Provider, Is.EqualTo(EmbeddingProviders.Lexical));
            Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(Failures(options), Is.Empty);
        }
    }

    [Test]
    public void A_complete_backend_setting_is_valid_and_the_provider_case_is_ignored()
    {
        var openAi = new EmbeddingOptions { Provider = "OpenAI", Url = new Uri("https://api.openai.com"), Model = "text-embedding-3-small" };
        Assert.That(Failures(Ollama()), Is.Empty);
        Assert.That(Failures(openAi), Is.Empty);
    }

    [Test]
    public void A_backend_without_url_or_model_is_refused_naming_both_settings_at_once()
    {
        var failures = Failures(new EmbeddingOptions { Provider = "ollama" });
        Assert.That(failures, Has.Count.EqualTo(2));
        Assert.That(failures, Has.Some.StartsWith("Infera:Verification:Embedding:Url is required when Provider is 'ollama'"));
        Assert.That(failures, Has.Some.StartsWith("Infera:Verification:Embedding:Model is required when Provider is 'ollama'"));
    }

    [Test]
    public void An_unknown_provider_is_refused_naming_the_setting_and_the_choices()
    {
        var failures = Failures(new EmbeddingOptions { Provider = "cohere" });
        Assert.That(failures, Is.EqualTo(new[]
        {
            "Infera:Verification:Embedding:Provider must be 'lexical', 'ollama' or 'openai' (it is 'cohere').",
        }));
    }

    [TestCase("ftp://models.example/")]
    [TestCase("localhost:11434")] // parses as an absolute URI whose scheme is "localhost"
    public void A_url_that_is_not_http_is_refused(string url)
    {
        var options = Ollama();
        options.Url = new Uri(url, UriKind.RelativeOrAbsolute);
        Assert.That(Failures(options), Is.EqualTo(new[]
        {
            $"Infera:Verification:Embedding:Url must be an absolute http:// or https:// URL (it is '{url}').",
        }));
    }

    [Test]
    public void A_relative_url_is_refused()
    {
        var options = Ollama();
        options.Url = new Uri("/embeddings", UriKind.Relative);
        Assert.That(Failures(options), Has.One.Contains("Infera:Verification:Embedding:Url must be an absolute"));
    }

    [Test]
    public void An_openai_url_ending_in_v1_is_refused_because_v1_is_added()
    {
        var options = new EmbeddingOptions { Provider = "openai", Url = new Uri("https://api.openai.com/v1/"), Model = "text-embedding-3-small" };
        Assert.That(Failures(options), Has.One.Contains("Infera:Verification:Embedding:Url is the server's root, without /v1"));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(601)]
    public void A_timeout_that_is_not_positive_or_longer_than_ten_minutes_is_refused(int seconds)
    {
        var options = Ollama();
        options.Timeout = TimeSpan.FromSeconds(seconds);
        Assert.That(Failures(options), Has.One.StartsWith("Infera:Verification:Embedding:Timeout must be positive and at most 00:10:00"));
    }

    [Test]
    public void An_api_key_variable_that_is_not_set_is_refused_and_one_that_is_set_is_accepted()
    {
        var variable = "INFERA_TEST_EMBEDDING_KEY_" + Guid.NewGuid().ToString("N");
        var options = Ollama();
        options.ApiKeyEnvironmentVariable = variable;
        Assert.That(Failures(options), Is.EqualTo(new[]
        {
            $"Infera:Verification:Embedding:ApiKeyEnvironmentVariable names '{variable}', which is not set; set it or remove the setting.",
        }));

        Environment.SetEnvironmentVariable(variable, "sk-test");
        try
        {
            Assert.That(Failures(options), Is.Empty);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var failures = Failures(new EmbeddingOptions { Provider = "openai", Timeout = TimeSpan.Zero, ApiKeyEnvironmentVariable = "INFERA_TEST_UNSET_" + Guid.NewGuid().ToString("N") });
        Assert.That(failures, Has.Count.EqualTo(4), string.Join("\n", failures));
    }

    [Test]
    public void Without_settings_the_silo_embeds_lexically()
    {
        using var services = Compose([]);
        Assert.That(services.GetRequiredService<IEmbedder>(), Is.InstanceOf<LexicalEmbedder>());
    }

    [Test]
    public void An_ollama_setting_registers_the_ollama_embedder_behind_the_lexical_fallback()
    {
        using var services = Compose(new()
        {
            ["Infera:Verification:Embedding:Provider"] = "ollama",
            ["Infera:Verification:Embedding:Url"] = "http://127.0.0.1:11434",
            ["Infera:Verification:Embedding:Model"] = "nomic-embed-text",
            ["Infera:Verification:Embedding:Timeout"] = "00:00:05",
        });
        var embedder = services.GetRequiredService<IEmbedder>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(embedder, Is.InstanceOf<FallbackEmbedder>());
            Assert.That(embedder.Method, Is.EqualTo("ollama:nomic-embed-text-cosine"));
            Assert.That(services.GetRequiredService<IOptions<EmbeddingOptions>>().Value.Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        }
    }

    [Test]
    public void An_openai_setting_registers_the_openai_embedder_behind_the_lexical_fallback()
    {
        using var services = Compose(new()
        {
            ["Infera:Verification:Embedding:Provider"] = "openai",
            ["Infera:Verification:Embedding:Url"] = "https://api.openai.com",
            ["Infera:Verification:Embedding:Model"] = "text-embedding-3-small",
        });
        var embedder = services.GetRequiredService<IEmbedder>();
        Assert.That(embedder, Is.InstanceOf<FallbackEmbedder>());
        Assert.That(embedder.Method, Is.EqualTo("openai:text-embedding-3-small-cosine"));
    }

    [Test]
    public void An_invalid_setting_stops_the_embedder_from_being_built_with_every_problem_named()
    {
        using var services = Compose(new() { ["Infera:Verification:Embedding:Provider"] = "ollama" });
        Assert.That(
            () => services.GetRequiredService<IEmbedder>(),
            Throws.InstanceOf<OptionsValidationException>()
                .With.Message.Contains("Infera:Verification:Embedding:Url is required")
                .And.Message.Contains("Infera:Verification:Embedding:Model is required"));
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddInferaEmbedder(configuration).BuildServiceProvider();
    }
}
