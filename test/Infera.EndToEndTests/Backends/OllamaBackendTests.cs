using Infera.EndToEndTests.Fakes;
using Infera.Jobs;
using Infera.NodeAgent.Backends;
using Infera.NodeLink;

namespace Infera.EndToEndTests.Backends;

public sealed class OllamaBackendTests
{
    private const string Model = "llama3.2:1b";
    private static readonly ChatMessage[] Prompt = [new("user", "Why is the sky blue?")];

    private FakeOllamaServer _server = null!;
    private HttpClient _httpClient = null!;
    private OllamaBackend _backend = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await FakeOllamaServer.StartAsync(Model, "qwen2.5:7b");
        _httpClient = new HttpClient { BaseAddress = _server.BaseAddress };
        _backend = new OllamaBackend(_httpClient);
    }

    [TearDown]
    public async Task StopServer()
    {
        _httpClient.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Lists_the_servers_models_as_real_ones()
    {
        var offers = await _backend.ListModelsAsync(CancellationToken.None);

        Assert.That(offers, Is.EqualTo(new[] { new ModelOffer(Model), new ModelOffer("qwen2.5:7b") }));
    }

    [Test]
    public async Task Streams_the_models_text_then_done_with_ollamas_counts()
    {
        var sampling = new SamplingParameters(null, 0.8, 0.95, 42, null);
        var expected = SimulatedTextGenerator.Complete(Model, Prompt, sampling);

        var chunks = await Chunks.CollectAsync(_backend, new BackendRequest(Model, Prompt, sampling));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks.OfType<BackendText>().Select(t => t.Text), Is.EqualTo(expected.Tokens));
            Assert.That(chunks[^1], Is.EqualTo(new BackendDone("stop", expected.PromptTokens, expected.CompletionTokens)));
        }
    }

    [Test]
    public async Task Max_tokens_travels_as_num_predict_and_finishes_with_length()
    {
        var sampling = new SamplingParameters(5, null, null, 42, null);

        var chunks = await Chunks.CollectAsync(_backend, new BackendRequest(Model, Prompt, sampling));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks.OfType<BackendText>().Count(), Is.EqualTo(5));
            Assert.That(chunks[^1], Is.EqualTo(new BackendDone("length", 5, 5)));
            Assert.That(_server.ChatRequestBodies.Single(), Does.Contain("\"num_predict\":5"));
        }
    }

    [Test]
    public async Task Stop_sequences_end_the_text_before_them()
    {
        var natural = string.Concat(SimulatedTextGenerator.Tokens(Model, Prompt, 42));
        var stop = natural.Substring(20, 5);
        var sampling = new SamplingParameters(null, null, null, 42, [stop]);

        var chunks = await Chunks.CollectAsync(_backend, new BackendRequest(Model, Prompt, sampling));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Chunks.Text(chunks), Is.EqualTo(natural[..natural.IndexOf(stop, StringComparison.Ordinal)]));
            Assert.That(chunks[^1], Is.InstanceOf<BackendDone>().With.Property(nameof(BackendDone.FinishReason)).EqualTo("stop"));
        }
    }

    [Test]
    public void An_unknown_model_is_a_backend_exception_with_ollamas_message()
    {
        var request = new BackendRequest("mystery:7b", Prompt, new SamplingParameters(null, null, null, 1, null));

        Assert.That(
            async () => await Chunks.CollectAsync(_backend, request),
            Throws.TypeOf<BackendException>().With.Message.Contains("model \"mystery:7b\" not found").And.Message.Contains("404"));
    }

    [Test]
    public void A_server_error_is_a_backend_exception()
    {
        _server.FailNextRequests = 1;

        Assert.That(
            async () => await Chunks.CollectAsync(_backend, Request()),
            Throws.TypeOf<BackendException>().With.Message.Contains("fake Ollama failure").And.Message.Contains("500"));
        Assert.That(_server.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public void A_connection_dropped_mid_stream_is_a_backend_exception()
    {
        _server.AbortAfterTokens = 3;

        Assert.That(async () => await Chunks.CollectAsync(_backend, Request()), Throws.TypeOf<BackendException>());
    }

    [Test]
    public async Task An_unreachable_server_is_a_backend_exception()
    {
        await _server.DisposeAsync();

        Assert.That(
            async () => await _backend.ListModelsAsync(CancellationToken.None),
            Throws.TypeOf<BackendException>().With.Message.Contains("unreachable"));
    }

    [Test]
    public async Task Cancelling_stops_the_stream()
    {
        _server.TokenDelay = TimeSpan.FromMilliseconds(50);
        using var cancellation = new CancellationTokenSource(Chunks.Timeout);
        await using var stream = _backend.StreamChatAsync(Request(), cancellation.Token).GetAsyncEnumerator();
        Assert.That(await stream.MoveNextAsync().AsTask().WaitAsync(Chunks.Timeout), Is.True, "waiting for the first chunk");

        await cancellation.CancelAsync();

        Assert.That(
            async () => await stream.MoveNextAsync().AsTask().WaitAsync(Chunks.Timeout),
            Throws.InstanceOf<OperationCanceledException>());
    }

    private static BackendRequest Request() => new(Model, Prompt, new SamplingParameters(null, null, null, 7, null));
}
