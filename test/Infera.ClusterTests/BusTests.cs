using System.Diagnostics;
using System.Globalization;
using Infera.Cluster;
using Infera.ClusterTests.Support;
using Infera.Jobs;
using Infera.Messaging.RabbitMq;
using Infera.NodeLink;

namespace Infera.ClusterTests;

/// <summary>
/// The broker behaviours the cluster is built on, checked on the real <see cref="RabbitMqBus"/> and a real RabbitMQ:
/// how a dead process is noticed, what order and redelivery guarantee, and how the bus fails when the broker is away.
/// Each test has a queue prefix of its own, so they run side by side.
/// </summary>
[Parallelizable(ParallelScope.All)]
[CancelAfter(120_000)]
public sealed class BusTests
{
    private static readonly TimeSpan Patience = BusScope.Patience;

    [Test]
    public async Task Confirmed_publish_to_a_queue_nobody_declared_throws_UnroutableMessageException()
    {
        await using var scope = await BusScope.CreateAsync();
        var bus = (await scope.StartBusAsync()).Bus;
        var deadSilo = bus.Options.SiloQueue("never-started");

        await Assert.ThatAsync(
            () => bus.PublishAsync(deadSilo, new CancelJob("job-1"), persistent: false, CancellationToken.None),
            Throws.TypeOf<UnroutableMessageException>().With.Property(nameof(UnroutableMessageException.Queue)).EqualTo(deadSilo));
    }

    [Test]
    public async Task Private_queue_is_removed_when_its_process_connection_closes()
    {
        await using var scope = await BusScope.CreateAsync();
        var queue = scope.Prefix + ".gateway.a";
        var inbox = new RecordingSubscription(queue, isPrivate: true);
        var owner = await scope.StartBusAsync(subscriptions: inbox);
        var sender = (await scope.StartBusAsync()).Bus;

        await sender.PublishAsync(queue, new CancelJob("job-1"), persistent: false, CancellationToken.None);
        var (received, _) = await inbox.NextAsync(Patience, "the message published while the owner lives");
        Assert.That(received, Is.EqualTo(new CancelJob("job-1")));

        await owner.DisposeAsync();

        // The broker deletes an exclusive queue once it has processed the connection's close, a moment later.
        var gone = await Waits.UntilAsync(
            async () =>
            {
                try
                {
                    await sender.PublishAsync(queue, new CancelJob("job-2"), persistent: false, CancellationToken.None);
                    return false;
                }
                catch (UnroutableMessageException)
                {
                    return true;
                }
            },
            Patience, TimeSpan.FromMilliseconds(50), "a publish to the stopped process's queue throwing UnroutableMessageException");
        TestContext.Out.WriteLine($"private queue unroutable {TestCluster.Seconds(gone)} after its process stopped");
    }

    [Test]
    public async Task Posted_messages_arrive_in_the_order_posted()
    {
        const int count = 500;
        await using var scope = await BusScope.CreateAsync();
        var queue = scope.Prefix + ".silo.owner";
        var inbox = new RecordingSubscription(queue, isPrivate: true);
        await scope.StartBusAsync(subscriptions: inbox);
        var sender = (await scope.StartBusAsync()).Bus;

        for (var i = 0; i < count; i++)
        {
            sender.Post(queue, new NodeEnvelope("node-1", null, new TokenChunk("assignment-1", i.ToString(CultureInfo.InvariantCulture))));
        }

        var texts = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (message, _) = await inbox.NextAsync(Patience, $"posted message {i} of {count}");
            texts.Add(((TokenChunk)((NodeEnvelope)message).Message).Text);
        }

        Assert.That(texts, Is.EqualTo(Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>A silo that took a job and died before finishing it must not lose the job: another silo gets it, marked as a retry.</summary>
    [TestCase(false, TestName = "Unacknowledged_work_message_of_a_consumer_that_shuts_down_is_redelivered_to_another")]
    [TestCase(true, TestName = "Unacknowledged_work_message_of_a_consumer_that_loses_its_network_is_redelivered_to_another")]
    public async Task Unacknowledged_work_message_is_redelivered_to_another_consumer(bool abrupt)
    {
        await using var scope = await BusScope.CreateAsync();
        await using var proxy = TcpProxy.InFrontOfRabbitMq();
        var jobs = scope.Prefix + ".jobs";
        var first = new RecordingSubscription(jobs, isPrivate: false, prefetch: 4);
        var dying = await scope.StartBusAsync(proxy.RabbitMqUri, first);
        var sender = (await scope.StartBusAsync()).Bus;

        await sender.PublishAsync(jobs, Job("job-1"), persistent: true, CancellationToken.None);
        var (taken, firstDelivery) = await first.NextAsync(Patience, "the job, at the first consumer");
        var second = new RecordingSubscription(jobs, isPrivate: false, prefetch: 4, ack: true);
        await scope.StartBusAsync(subscriptions: second);
        Assert.That(second.Waiting, Is.Zero, "the second consumer got the job while the first still held it");

        if (abrupt)
        {
            proxy.Cut(); // no AMQP close: the broker sees the TCP connection reset, as when the process is killed
        }
        else
        {
            await dying.DisposeAsync();
        }

        var (again, secondDelivery) = await second.NextAsync(Patience, "the unacknowledged job, at the second consumer");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstDelivery.Redelivered, Is.False);
            Assert.That(((SubmitJob)again).JobId, Is.EqualTo(((SubmitJob)taken).JobId));
            Assert.That(secondDelivery.Redelivered, Is.True, "a redelivered job is marked so the taker can tell a retry");
        }
    }

    [Test]
    public async Task Prefetch_bounds_what_one_consumer_holds_and_the_rest_waits_for_another()
    {
        await using var scope = await BusScope.CreateAsync();
        var work = scope.Prefix + ".work";
        var busy = new RecordingSubscription(work, isPrivate: false, prefetch: 2);
        await scope.StartBusAsync(subscriptions: busy);
        var sender = (await scope.StartBusAsync()).Bus;

        for (var i = 1; i <= 3; i++)
        {
            await sender.PublishAsync(work, Job($"job-{i}"), persistent: true, CancellationToken.None);
        }

        var held = new[] { await busy.NextAsync(Patience, "job 1"), await busy.NextAsync(Patience, "job 2") };
        // The broker says the third is still waiting in the queue, not on its way to the busy consumer.
        Assert.That(await scope.ReadyMessagesAsync(work), Is.EqualTo(1), "messages ready in the queue while the only consumer holds its prefetch");

        var idle = new RecordingSubscription(work, isPrivate: false, prefetch: 2, ack: true);
        await scope.StartBusAsync(subscriptions: idle);
        var (third, _) = await idle.NextAsync(Patience, "job 3, at the consumer with room");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(held.Select(h => ((SubmitJob)h.Message).JobId), Is.EqualTo(new[] { "job-1", "job-2" }));
            Assert.That(((SubmitJob)third).JobId, Is.EqualTo("job-3"));
            Assert.That(busy.Waiting, Is.Zero, "the busy consumer got more than its prefetch");
        }

        // An acknowledgement frees a slot: the busy consumer takes the next job.
        await held[0].Delivery.AckAsync();
        await sender.PublishAsync(work, Job("job-4"), persistent: true, CancellationToken.None);
        await sender.PublishAsync(work, Job("job-5"), persistent: true, CancellationToken.None);
        var (next, _) = await busy.NextAsync(Patience, "a job at the consumer that acknowledged one");
        Assert.That(((SubmitJob)next).JobId, Is.AnyOf("job-4", "job-5"));
    }

    [Test]
    public async Task Publish_with_an_unreachable_broker_throws_ServiceUnavailableException_within_5_s()
    {
        await using var scope = await BusScope.CreateAsync();
        var bus = (await scope.StartBusWithoutWaitingAsync("amqp://guest:guest@127.0.0.1:1/")).Bus;

        var clock = Stopwatch.StartNew();
        await Assert.ThatAsync(
            () => bus.PublishAsync(scope.Prefix + ".jobs", Job("job-1"), persistent: true, CancellationToken.None),
            Throws.TypeOf<ServiceUnavailableException>());
        var elapsed = clock.Elapsed;
        TestContext.Out.WriteLine($"publish without a broker failed in {TestCluster.Seconds(elapsed)}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(bus.IsConnected, Is.False);
            Assert.That(bus.Connected.IsCompleted, Is.False);
        }
    }

    [Test]
    public async Task Bus_that_loses_the_broker_fails_fast_and_recovers_its_private_queue_by_itself()
    {
        await using var scope = await BusScope.CreateAsync();
        await using var proxy = TcpProxy.InFrontOfRabbitMq();
        var queue = scope.Prefix + ".gateway.a";
        var inbox = new RecordingSubscription(queue, isPrivate: true);
        var bus = (await scope.StartBusAsync(proxy.RabbitMqUri, inbox)).Bus;
        var sender = (await scope.StartBusAsync()).Bus;

        proxy.Cut();
        await Waits.UntilAsync(() => Task.FromResult(!bus.IsConnected), Patience, TimeSpan.FromMilliseconds(20), "the bus noticing the lost connection");
        var clock = Stopwatch.StartNew();
        await Assert.ThatAsync(
            () => bus.PublishAsync(scope.Prefix + ".jobs", Job("job-1"), persistent: true, CancellationToken.None),
            Throws.TypeOf<ServiceUnavailableException>());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "a publish while the broker is away fails at once");

        proxy.Restore();
        var recovered = await Waits.UntilAsync(
            async () =>
            {
                try
                {
                    await sender.PublishAsync(queue, new CancelJob("job-1"), persistent: false, CancellationToken.None);
                    return bus.IsConnected;
                }
                catch (UnroutableMessageException)
                {
                    return false; // not redeclared yet
                }
            },
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), "the bus reconnecting and redeclaring its private queue");
        await inbox.NextAsync(Patience, "a message to the recovered queue");
        TestContext.Out.WriteLine($"bus recovered its private queue {TestCluster.Seconds(recovered)} after the broker came back");
        Assert.That(recovered, Is.LessThan(TimeSpan.FromSeconds(15)));
    }

    private static SubmitJob Job(string id) => new(
        id,
        "infera.gateway.test",
        new JobRequest("tenant-1", TestCluster.Model, [new ChatMessage("user", "hello")], new SamplingParameters(16, null, null, 1, null), Stream: false));
}
