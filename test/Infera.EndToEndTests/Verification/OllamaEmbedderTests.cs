using Infera.EndToEndTests.Fakes;
using Infera.EndToEndTests.Support;
using Infera.Verification;

namespace Infera.EndToEndTests.Verification;

/// <summary>The Ollama embedder against a loopback server that speaks Ollama's /api/embed.</summary>
public sealed class OllamaEmbedderTests
{
    private const string EmbeddingModel = "nomic-embed-text";

    private static readonly string[] Texts =
    [
        "The capital of France is Paris, a city on the Seine.",
        "Photosynthesis turns sunlight, water and carbon dioxide into sugar.",
        string.Empty,
    ];

    [Test]
    public async Task Vectors_come_back_one_per_text_in_input_order_from_one_request()
    {
        await using var server = await FakeOllamaServer.StartAsync(EmbeddingModel);
        using var http = Networks.Http(server.BaseAddress);
        var vectors = await new OllamaEmbedder(http, EmbeddingModel).EmbedAsync(Texts, CancellationToken.None);

        var expected = new LexicalEmbedder(FakeEmbeddingRequest.Dimensions);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(vectors, Has.Length.EqualTo(3));
            for (var i = 0; i < Texts.Length; i++)
            {
                Assert.That(vectors[i], Is.EqualTo(expected.Embed(Texts[i])).Within(1e-6f), $"vector {i}");
            }

            Assert.That(server.EmbeddingRequestCount, Is.EqualTo(1), "the texts are embedded in one batch");
        }
    }

    [Test]
    public async Task A_model_the_server_lacks_is_an_embedding_error_with_the_servers_message()
    {
        await using var server = await FakeOllamaServer.StartAsync(EmbeddingModel);
        using var http = Networks.Http(server.BaseAddress);
        Assert.That(
            () => new OllamaEmbedder(http, "all-minilm").EmbedAsync(Texts, CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>()
                .With.Message.Contains("model \"all-minilm\" not found, try pulling it first")
                .And.Message.Contains("404"));
    }

    [Test]
    public async Task A_server_failure_is_an_embedding_error_with_the_servers_message()
    {
        await using var server = await FakeOllamaServer.StartAsync(EmbeddingModel);
        server.FailNextRequests = 1;
        using var http = Networks.Http(server.BaseAddress);
        Assert.That(
            () => new OllamaEmbedder(http, EmbeddingModel).EmbedAsync(Texts, CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("fake Ollama failure").And.Message.Contains("500"));
    }

    [Test]
    public async Task An_unreachable_server_is_an_embedding_error()
    {
        var server = await FakeOllamaServer.StartAsync(EmbeddingModel);
        var address = server.BaseAddress;
        await server.DisposeAsync();
        using var http = Networks.Http(address);
        Assert.That(
            () => new OllamaEmbedder(http, EmbeddingModel).EmbedAsync(Texts, CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("is unreachable"));
    }

    [Test]
    public async Task A_server_slower_than_the_timeout_is_an_embedding_error()
    {
        await using var server = await FakeOllamaServer.StartAsync(EmbeddingModel);
        server.EmbeddingDelay = TimeSpan.FromSeconds(30);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };
        Assert.That(
            () => new OllamaEmbedder(http, EmbeddingModel).EmbedAsync(Texts, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("did not answer within 0.2 s"));
    }

    [Test]
    public async Task The_callers_cancellation_ends_the_call_as_a_cancellation()
    {
        await using var server = await FakeOllamaServer.StartAsync(EmbeddingModel);
        server.EmbeddingDelay = TimeSpan.FromSeconds(30);
        using var http = Networks.Http(server.BaseAddress);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.That(
            () => new OllamaEmbedder(http, EmbeddingModel).EmbedAsync(Texts, cancel.Token).WaitAsync(TimeSpan.FromSeconds(10)),
            Throws.InstanceOf<OperationCanceledException>());
    }
}
