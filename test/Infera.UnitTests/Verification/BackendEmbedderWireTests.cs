using System.Net;
using System.Text.Json.Nodes;
using Infera.UnitTests.Support;
using Infera.Verification;

namespace Infera.UnitTests.Verification;

/// <summary>What the backend embedders send and how they judge answers, against canned HTTP responses.</summary>
public sealed class BackendEmbedderWireTests
{
    private const string OllamaTwoVectors = """{"model":"m","embeddings":[[1,0,0],[0,1,0]]}""";

    [Test]
    public async Task Ollama_request_names_the_model_and_sends_every_text_including_an_empty_one_under_the_base_path()
    {
        var handler = new StubHttpHandler(HttpStatusCode.OK, OllamaTwoVectors);
        using var http = handler.Client("http://gpu-box:8080/ollama");
        var embedder = new OllamaEmbedder(http, "nomic-embed-text");

        var vectors = await embedder.EmbedAsync(["Paris", string.Empty], CancellationToken.None);

        var body = JsonNode.Parse(handler.LastBody!)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.LastUri, Is.EqualTo(new Uri("http://gpu-box:8080/ollama/api/embed")));
            Assert.That(body["model"]!.GetValue<string>(), Is.EqualTo("nomic-embed-text"));
            Assert.That(body["input"]!.AsArray().Select(i => i!.GetValue<string>()), Is.EqualTo(new[] { "Paris", string.Empty }));
            Assert.That(handler.LastAuthorization, Is.Null);
            Assert.That(vectors, Is.EqualTo(new[] { new float[] { 1, 0, 0 }, [0, 1, 0] }));
            Assert.That(embedder.Method, Is.EqualTo("ollama:nomic-embed-text-cosine"));
        }
    }

    [Test]
    public async Task OpenAi_request_asks_for_floats_and_sends_the_key_as_a_bearer_token()
    {
        var handler = new StubHttpHandler(HttpStatusCode.OK, """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,0.5]}]}""");
        using var http = handler.Client("http://127.0.0.1:8000");
        var embedder = new OpenAiEmbedder(http, "text-embedding-3-small", "sk-test");

        await embedder.EmbedAsync(["Paris"], CancellationToken.None);

        var body = JsonNode.Parse(handler.LastBody!)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.LastUri, Is.EqualTo(new Uri("http://127.0.0.1:8000/v1/embeddings")));
            Assert.That(handler.LastAuthorization, Is.EqualTo("Bearer sk-test"));
            Assert.That(body["model"]!.GetValue<string>(), Is.EqualTo("text-embedding-3-small"));
            Assert.That(body["encoding_format"]!.GetValue<string>(), Is.EqualTo("float"));
            Assert.That(embedder.Method, Is.EqualTo("openai:text-embedding-3-small-cosine"));
        }
    }

    [Test]
    public async Task No_texts_need_no_request()
    {
        var handler = new StubHttpHandler(HttpStatusCode.OK, OllamaTwoVectors);
        using var http = handler.Client("http://127.0.0.1:11434");
        Assert.That(await new OllamaEmbedder(http, "m").EmbedAsync([], CancellationToken.None), Is.Empty);
        Assert.That(handler.Requests, Is.Zero);
    }

    [Test]
    public void Fewer_vectors_than_texts_is_an_embedding_error()
    {
        Assert.That(
            () => Ollama(OllamaTwoVectors).EmbedAsync(["a", "b", "c"], CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("returned 2 embeddings for 3 texts"));
    }

    [Test]
    public void Vectors_of_differing_lengths_are_an_embedding_error()
    {
        Assert.That(
            () => Ollama("""{"embeddings":[[1,0,0],[0,1]]}""").EmbedAsync(["a", "b"], CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("differing lengths (3 for text 0, 2 for text 1)"));
    }

    [Test]
    public void An_empty_vector_is_an_embedding_error()
    {
        Assert.That(
            () => Ollama("""{"embeddings":[[],[]]}""").EmbedAsync(["a", "b"], CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("no embedding for text 0"));
    }

    [Test]
    public void Malformed_json_is_an_embedding_error()
    {
        Assert.That(
            () => Ollama("""{"embeddings":[[1,0""").EmbedAsync(["a"], CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("malformed JSON"));
    }

    [Test]
    public void OpenAi_answer_with_an_index_twice_is_an_embedding_error()
    {
        var handler = new StubHttpHandler(HttpStatusCode.OK, """{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[1]}]}""");
        using var http = handler.Client("http://127.0.0.1:8000");
        Assert.That(
            () => new OpenAiEmbedder(http, "m").EmbedAsync(["a", "b"], CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("two embeddings with index 0"));
    }

    [Test]
    public void OpenAi_answer_with_an_index_out_of_range_is_an_embedding_error()
    {
        var handler = new StubHttpHandler(HttpStatusCode.OK, """{"data":[{"index":0,"embedding":[1]},{"index":2,"embedding":[1]}]}""");
        using var http = handler.Client("http://127.0.0.1:8000");
        Assert.That(
            () => new OpenAiEmbedder(http, "m").EmbedAsync(["a", "b"], CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.Contains("index 2 for 2 texts"));
    }

    [Test]
    public void An_error_body_that_is_not_json_is_quoted_with_the_status()
    {
        var handler = new StubHttpHandler(HttpStatusCode.BadGateway, "upstream connect error", "text/plain");
        using var http = handler.Client("http://127.0.0.1:11434");
        Assert.That(
            () => new OllamaEmbedder(http, "m").EmbedAsync(["a"], CancellationToken.None),
            Throws.InstanceOf<EmbeddingException>().With.Message.EqualTo(
                "Ollama at http://127.0.0.1:11434/ answered 502 Bad Gateway: upstream connect error"));
    }

    private static OllamaEmbedder Ollama(string answer) =>
        new(new StubHttpHandler(HttpStatusCode.OK, answer).Client("http://127.0.0.1:11434"), "m");
}
