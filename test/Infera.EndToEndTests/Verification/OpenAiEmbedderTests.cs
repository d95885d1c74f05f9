using Infera.EndToEndTests.Fakes;
using Infera.EndToEndTests.Support;
using Infera.Verification;

namespace Infera.EndToEndTests.Verification;

/// <summary>The OpenAI embedder against a loopback server that speaks OpenAI's /v1/embeddings.</summary>
public sealed class OpenAiEmbedderTests
{
    private const string EmbeddingModel = "text-embedding-3-small";

    private static readonly string[] Texts =
    [
        "The capital of France is Paris, a city on the Seine.",
        "Photosynthesis turns sunlight, water and carbon dioxide into sugar.",
        "The Pacific is the largest and deepest ocean.",
    ];

    [Test]
    public async Task Vectors_are_put_in_input_order_by_their_index_even_when_the_server_lists_them_otherwise()
    {
        await using var server = new FakeOpenAiServer([EmbeddingModel]) { ReverseEmbeddingOrder = true };
        await server.StartAsync(CancellationToken.None);
        using var http = Networks.Http(server.BaseAddress);
        var vectors = await new OpenAiEmbedder(http, EmbeddingModel).EmbedAsync(Texts, CancellationToken.None);

        var expected = new LexicalEmbedder(FakeEmbeddingRequest.Dimensions);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(vectors, Has.Length.EqualTo(3));
            for (var i = 0; i < Texts.Length; i++)
            {
                Assert.That(vectors[i], Is.EqualTo(expected.Embed(Texts[i])).Within(1e-6f), $"vector {i}");
            }

            Assert.That(server.EmbeddingRequestCount, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_server_that_wants_a_key_gets_it_as_a_bearer_token()
    {
        await using var server = new FakeOpenAiServer([EmbeddingModel], apiKey: "sk-embed");
        await server.StartAsync(CancellationToken.None);
        using var http = Networks.Http(server.BaseAddress);
        Assert.That(await new OpenAiEmbedder(http, EmbeddingModel, "sk-embed").EmbedAsync(Texts, CancellationToken.None), Has.Length.EqualTo(3));
        Assert.That(
            () => new OpenAiEmbedder(http, EmbeddingModel).EmbedAsync(Texts, CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("Incorrect API key provided.").And.Message.Contains("401"));
    }

    [Test]
    public async Task A_model_the_server_lacks_is_an_embedding_error_with_the_servers_message()
    {
        await using var server = await FakeOpenAiServer.StartAsync(EmbeddingModel);
        using var http = Networks.Http(server.BaseAddress);
        Assert.That(
            () => new OpenAiEmbedder(http, "text-embedding-ada-002").EmbedAsync(Texts, CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("The model `text-embedding-ada-002` does not exist."));
    }

    [Test]
    public async Task A_server_failure_is_an_embedding_error_with_the_servers_message()
    {
        await using var server = await FakeOpenAiServer.StartAsync(EmbeddingModel);
        server.FailNextRequests = 1;
        using var http = Networks.Http(server.BaseAddress);
        Assert.That(
            () => new OpenAiEmbedder(http, EmbeddingModel).EmbedAsync(Texts, CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("The server had an error while processing your request.").And.Message.Contains("500"));
    }
}
