using Infera.UnitTests.Support;
using Infera.Verification;
using Microsoft.Extensions.Logging;

namespace Infera.UnitTests.Verification;

public sealed class FallbackEmbedderTests
{
    private static readonly string[] Texts = ["the sea is blue", "the sea is deep blue"];

    private readonly RecordingLogger<FallbackEmbedder> _logger = new();
    private readonly LexicalEmbedder _lexical = new();

    private FallbackEmbedder Over(Func<CancellationToken, Task<float[][]>> primary) =>
        new(new StubEmbedder(primary), _lexical, _logger);

    [Test]
    public async Task A_working_primary_answers_and_nothing_is_logged()
    {
        float[][] vectors = [[1, 0], [0, 1]];
        var embedder = Over(_ => Task.FromResult(vectors));
        Assert.That(await embedder.EmbedAsync(Texts, CancellationToken.None), Is.SameAs(vectors));
        Assert.That(_logger.Entries, Is.Empty);
    }

    [Test]
    public async Task A_failing_primary_is_replaced_by_the_fallback_for_that_call_with_a_warning()
    {
        var embedder = Over(_ => throw new EmbeddingException("Ollama at http://127.0.0.1:11434/: model \"m\" not found (404 Not Found)"));
        var vectors = await embedder.EmbedAsync(Texts, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(vectors, Is.EqualTo(Texts.Select(_lexical.Embed).ToArray()));
            Assert.That(embedder.Method, Is.EqualTo("stub-cosine"), "the method stays the primary's; the fallback is logged");
            Assert.That(_logger.Entries, Has.Count.EqualTo(1));
            Assert.That(_logger.Entries[0].Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(_logger.Entries[0].Id.Id, Is.EqualTo(3101));
            Assert.That(_logger.Entries[0].Message, Does.Contain("stub-cosine").And.Contain("lexical-cosine").And.Contain("model \"m\" not found"));
        }
    }

    [Test]
    public async Task A_transport_failure_falls_back()
    {
        var embedder = Over(_ => throw new HttpRequestException("Connection refused"));
        Assert.That(await embedder.EmbedAsync(Texts, CancellationToken.None), Has.Length.EqualTo(2));
        Assert.That(_logger.Entries, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_timeout_falls_back()
    {
        var embedder = Over(_ => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException()));
        Assert.That(await embedder.EmbedAsync(Texts, CancellationToken.None), Has.Length.EqualTo(2));
        Assert.That(_logger.Entries, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_cancellation_the_caller_asked_for_is_not_a_fallback()
    {
        using var cancel = new CancellationTokenSource();
        var embedder = Over(ct =>
        {
            cancel.Cancel();
            ct.ThrowIfCancellationRequested();
            return Task.FromResult<float[][]>([]);
        });
        Assert.That(async () => await embedder.EmbedAsync(Texts, cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_logger.Entries, Is.Empty);
    }

    [Test]
    public void A_bug_in_the_primary_is_not_hidden_by_the_fallback()
    {
        var embedder = Over(_ => throw new ArgumentException("a bug"));
        Assert.That(async () => await embedder.EmbedAsync(Texts, CancellationToken.None), Throws.ArgumentException);
    }

    private sealed class StubEmbedder(Func<CancellationToken, Task<float[][]>> embed) : IEmbedder
    {
        public string Method => "stub-cosine";

        public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) => embed(cancellationToken);
    }
}
