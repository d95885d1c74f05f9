using Infera.Jobs;
using Infera.NodeAgent.Backends;

namespace Infera.UnitTests.NodeAgent;

public sealed class SimulatedBackendTests
{
    private const string Model = "simulated-llama-3.2-1b";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly ChatMessage[] Prompt = [new("user", "Write a haiku about the harbor at night.")];

    [Test]
    public async Task Offers_its_models_marked_as_simulated()
    {
        var backend = new SimulatedBackend(new SimulatedBackendOptions(), TimeProvider.System);

        var offers = await backend.ListModelsAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(backend.Kind, Is.EqualTo("simulated"));
            Assert.That(offers, Is.EqualTo(new[] { new Infera.NodeLink.ModelOffer(Model, Simulated: true) }));
        }
    }

    [Test]
    public void A_model_name_without_simulated_is_refused_at_construction()
    {
        var options = new SimulatedBackendOptions { Models = [Model, "llama3.2:1b"] };

        Assert.That(
            () => new SimulatedBackend(options, TimeProvider.System),
            Throws.ArgumentException.With.Message.Contains("llama3.2:1b").And.Message.Contains("simulated"));
    }

    [Test]
    public async Task Streams_the_generators_tokens_then_one_done_with_counts()
    {
        var backend = Unpaced();
        var sampling = new SamplingParameters(null, 0.7, null, 5, null);
        var expected = SimulatedTextGenerator.Complete(Model, Prompt, sampling);

        var chunks = await Collect(backend.StreamChatAsync(new BackendRequest(Model, Prompt, sampling), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(chunks.OfType<BackendText>().Select(t => t.Text), Is.EqualTo(expected.Tokens));
            Assert.That(chunks[^1], Is.EqualTo(new BackendDone("stop", expected.PromptTokens, expected.Tokens.Count)));
            Assert.That(chunks.OfType<BackendDone>().Count(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Max_tokens_ends_the_stream_with_length()
    {
        var chunks = await Collect(Unpaced().StreamChatAsync(
            new BackendRequest(Model, Prompt, new SamplingParameters(4, null, null, 5, null)), CancellationToken.None));

        Assert.That(chunks, Has.Count.EqualTo(5).And.Some.EqualTo(new BackendDone("length", 8, 4)));
    }

    [Test]
    public void An_unknown_model_is_a_backend_exception()
    {
        var request = new BackendRequest("simulated-other", Prompt, new SamplingParameters(null, null, null, 1, null));

        Assert.That(
            async () => await Collect(Unpaced().StreamChatAsync(request, CancellationToken.None)),
            Throws.TypeOf<BackendException>().With.Message.Contains("simulated-other"));
    }

    [Test]
    public async Task Tokens_wait_for_the_time_to_first_token_and_then_the_token_rate()
    {
        var clock = new ManualClock();
        var options = new SimulatedBackendOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(50), TokensPerSecond = 10 };
        var backend = new SimulatedBackend(options, clock);
        await using var stream = backend.StreamChatAsync(Request(), CancellationToken.None).GetAsyncEnumerator();

        var first = stream.MoveNextAsync().AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(49));
        Assert.That(first.IsCompleted, Is.False, "the first token came before the time to first token");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(await first.WaitAsync(Timeout), Is.True, "waiting for the first token after 50 ms");

        var second = stream.MoveNextAsync().AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.That(second.IsCompleted, Is.False, "the second token came before 1/10 s");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(await second.WaitAsync(Timeout), Is.True, "waiting for the second token after 100 ms more");
    }

    [Test]
    public async Task Cancelling_while_waiting_for_a_token_ends_the_stream()
    {
        var clock = new ManualClock();
        var backend = new SimulatedBackend(new SimulatedBackendOptions(), clock);
        using var cancellation = new CancellationTokenSource();
        await using var stream = backend.StreamChatAsync(Request(), cancellation.Token).GetAsyncEnumerator();

        var first = stream.MoveNextAsync().AsTask();
        await cancellation.CancelAsync();

        Assert.That(async () => await first.WaitAsync(Timeout), Throws.InstanceOf<OperationCanceledException>());
    }

    private static BackendRequest Request() => new(Model, Prompt, new SamplingParameters(null, null, null, 9, null));

    private static SimulatedBackend Unpaced() => new(
        new SimulatedBackendOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = double.PositiveInfinity },
        TimeProvider.System);

    private static async Task<List<BackendChunk>> Collect(IAsyncEnumerable<BackendChunk> chunks)
    {
        var list = new List<BackendChunk>();
        await foreach (var chunk in chunks.WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
            list.Add(chunk);
        }

        return list;
    }
}
