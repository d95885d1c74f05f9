using Infera.EndToEndTests.Fakes;
using Infera.EndToEndTests.Support;
using Infera.Verification;
using Microsoft.Extensions.Logging.Abstractions;

namespace Infera.EndToEndTests.Verification;

/// <summary>A failing embedding backend costs a verification its backend vectors, never the verification.</summary>
public sealed class FallbackEmbedderTests
{
    private const string EmbeddingModel = "nomic-embed-text";

    private static readonly string[] Texts = ["The sea is deep and blue.", "The sea is blue and deep."];

    // The fake's vectors have 256 dimensions and the silo's lexical embedder's 1024, so the length says who answered.
    private const int FallbackDimensions = 1024;

    [Test]
    public async Task A_failed_backend_call_is_answered_by_the_lexical_embedder_and_the_next_call_by_the_backend_again()
    {
        await using var server = await FakeOllamaServer.StartAsync(EmbeddingModel);
        using var http = Networks.Http(server.BaseAddress);
        var embedder = new FallbackEmbedder(new OllamaEmbedder(http, EmbeddingModel), new LexicalEmbedder(), NullLogger<FallbackEmbedder>.Instance);
        server.FailNextRequests = 1;

        var fallen = await embedder.EmbedAsync(Texts, CancellationToken.None);
        var recovered = await embedder.EmbedAsync(Texts, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fallen.Select(v => v.Length), Is.All.EqualTo(FallbackDimensions), "the failed call was answered lexically");
            Assert.That(recovered.Select(v => v.Length), Is.All.EqualTo(FakeEmbeddingRequest.Dimensions), "the next call reached the backend");
            Assert.That(server.EmbeddingRequestCount, Is.EqualTo(1));
            Assert.That(embedder.Method, Is.EqualTo("ollama:nomic-embed-text-cosine"));
        }
    }

    [Test]
    public async Task A_backend_slower_than_the_timeout_is_answered_by_the_lexical_embedder()
    {
        await using var server = await FakeOpenAiServer.StartAsync(EmbeddingModel);
        server.EmbeddingDelay = TimeSpan.FromSeconds(30);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };
        var embedder = new FallbackEmbedder(new OpenAiEmbedder(http, EmbeddingModel), new LexicalEmbedder(), NullLogger<FallbackEmbedder>.Instance);

        var vectors = await embedder.EmbedAsync(Texts, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(vectors.Select(v => v.Length), Is.All.EqualTo(FallbackDimensions));
    }
}
