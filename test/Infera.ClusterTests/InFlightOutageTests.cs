using Infera.ClusterTests.Support;
using Infera.NodeAgent.Backends;

namespace Infera.ClusterTests;

/// <summary>
/// A stream that is running when a gateway or silo loses RabbitMQ for a moment must end with an error, or complete with
/// its whole text: never complete with text missing from its middle. The broker deletes a process's private queue with
/// its connection, and a process posts nothing while it is away, so events of such a stream are lost.
/// </summary>
[NonParallelizable]
public sealed class InFlightOutageTests
{
    /// <summary>Slow enough that an answer outlasts the time to notice an outage.</summary>
    private const int TokensPerSecond = 25;

    private static readonly TimeSpan Notice = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The gateway knows at once that its queue, and the job's events with it, are gone; it must not leave the client
    /// waiting for the idle timeout (30 s here, 120 s by default) when the rest of the answer, its ending included, is
    /// posted while it is cut off.
    /// </summary>
    [Test]
    [CancelAfter(180_000)]
    public async Task Stream_in_flight_when_its_gateway_loses_RabbitMQ_ends_with_an_error_at_once()
    {
        await using var proxy = TcpProxy.InFrontOfRabbitMq();
        await using var cluster = await TestCluster.StartAsync(silos: 1, gateways: 0, agents: 1, tokensPerSecond: TokensPerSecond);
        var gateway = await cluster.AddGatewayAsync("gateway-1", ("Infera__RabbitMq__Uri", proxy.RabbitMqUri));
        await cluster.WaitForNodesAsync(1, TimeSpan.FromSeconds(30));

        // An answer of at most 120 tokens ends within 5 s; the outage outlasts it.
        var ended = await AssertStreamSurvivesOutageAsync(cluster, gateway, proxy, gateway, tokens: (100, 120), outage: TimeSpan.FromSeconds(6));
        Assert.That(ended, Is.LessThan(TimeSpan.FromSeconds(3)), "the stream's end after the gateway lost RabbitMQ");
    }

    /// <summary>The silo posts nothing while it is cut off, then the rest: the gateway must see the gap.</summary>
    [Test]
    [CancelAfter(180_000)]
    public async Task Stream_in_flight_when_its_silo_loses_RabbitMQ_ends_with_an_error_or_its_whole_text()
    {
        await using var proxy = TcpProxy.InFrontOfRabbitMq();
        await using var cluster = await TestCluster.StartAsync(
            silos: 1, gateways: 1, agents: 1, tokensPerSecond: TokensPerSecond, siloEnvironment: [("Infera__RabbitMq__Uri", proxy.RabbitMqUri)]);

        // An answer of 100 tokens or more streams for 4 s or more, outlasting the outage (about 1 s, the bus's reconnect interval).
        var ended = await AssertStreamSurvivesOutageAsync(cluster, cluster.Gateways[0], proxy, cluster.Silos[0], tokens: (100, 1000), outage: TimeSpan.Zero);
        Assert.That(ended, Is.LessThan(TimeSpan.FromSeconds(10)), "the stream's end after the silo lost RabbitMQ");
    }

    /// <summary>
    /// Streams an answer of <paramref name="tokens"/> tokens, cuts <paramref name="cut"/> off the broker at its first
    /// text for <paramref name="outage"/> after the process noticed, and checks how it ended; returns when that was,
    /// counted from the cut.
    /// </summary>
    private static async Task<TimeSpan> AssertStreamSurvivesOutageAsync(
        TestCluster cluster, HostProcess gateway, TcpProxy proxy, HostProcess cut, (int Min, int Max) tokens, TimeSpan outage)
    {
        var seed = Enumerable.Range(0, 1000).First(s => SimulatedTextGenerator.Tokens(TestCluster.Model, ChatStream.Messages, s).Count() is var n && n >= tokens.Min && n <= tokens.Max);
        var whole = await ChatStream.RunAsync(cluster.Client, gateway.Url, cluster.ApiKey, seed, maxTokens: 1000);
        Assert.That(whole is { Done: true, Error: null }, $"the same request without an outage: {whole}");

        var clock = new System.Diagnostics.Stopwatch();
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Task.Run(async () =>
        {
            var stream = await ChatStream.RunAsync(cluster.Client, gateway.Url, cluster.ApiKey, seed, maxTokens: 1000, () => streaming.TrySetResult());
            return (Stream: stream, Ended: clock.Elapsed);
        });
        await streaming.Task.Within(TimeSpan.FromSeconds(20), "the first text of the stream");
        clock.Start();
        proxy.Cut();
        await Waits.UntilAsync(async () => await cut.ReadyzAsync() == 503, Notice, TimeSpan.FromMilliseconds(50), $"{cut.Name}'s /readyz answering 503 after RabbitMQ went away");
        await Task.Delay(outage); // the outage itself, not a wait for something
        proxy.Restore();
        await run.Within(TimeSpan.FromSeconds(90), "the stream's end");
        var (outcome, ended) = await run;

        TestContext.Out.WriteLine(
            $"{cut.Name} lost RabbitMQ mid-stream: the stream ended {TestCluster.Seconds(ended)} after the cut, done={outcome.Done}, "
            + $"{outcome.Text.Length} of {whole.Text.Length} chars, error: {outcome.Error ?? "none"}");
        if (outcome.Done)
        {
            Assert.That(outcome.Text, Is.EqualTo(whole.Text), "a stream that completed across the outage lost or garbled text");
        }
        else
        {
            Assert.That(outcome.Error, Is.Not.Empty);
        }

        return ended;
    }
}
