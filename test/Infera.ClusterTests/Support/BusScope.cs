using Infera.Messaging.RabbitMq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Infera.ClusterTests.Support;

/// <summary>
/// One test's corner of the broker: a queue prefix of its own, the buses it starts (each standing for one process),
/// and a plain client connection to ask the broker what it holds. Disposing stops the buses and deletes the durable
/// queues, which would otherwise outlive the test.
/// </summary>
public sealed class BusScope : IAsyncDisposable
{
    /// <summary>Bounds every wait on the broker; it answers in milliseconds, but the machine may be busy.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly List<TestBus> _buses = [];
    private readonly HashSet<string> _durableQueues = new(StringComparer.Ordinal);
    private readonly IConnection _admin;
    private readonly IChannel _channel;

    private BusScope(string prefix, IConnection admin, IChannel channel)
    {
        Prefix = prefix;
        _admin = admin;
        _channel = channel;
        _durableQueues.Add(prefix + ".jobs"); // every bus declares it when it connects
    }

    public string Prefix { get; }

    public static async Task<BusScope> CreateAsync()
    {
        var admin = await new ConnectionFactory { Uri = new Uri(ClusterServices.RabbitMq) }.CreateConnectionAsync();
        var channel = await admin.CreateChannelAsync();
        return new BusScope("t" + Guid.NewGuid().ToString("N")[..10], admin, channel);
    }

    /// <summary>A bus on the test broker (or at <paramref name="uri"/>) reading <paramref name="subscriptions"/>, connected.</summary>
    public async Task<TestBus> StartBusAsync(string? uri = null, params IBusSubscription[] subscriptions)
    {
        var bus = await StartBusWithoutWaitingAsync(uri, subscriptions);
        await bus.Bus.Connected.Within(Patience, $"a bus connecting to {uri ?? ClusterServices.RabbitMq}");
        return bus;
    }

    /// <summary>A bus started in the background; it may still be connecting (or failing to) when this returns.</summary>
    public async Task<TestBus> StartBusWithoutWaitingAsync(string? uri, params IBusSubscription[] subscriptions)
    {
        var services = new ServiceCollection();
        foreach (var subscription in subscriptions)
        {
            services.AddSingleton(subscription);
            if (!subscription.Private)
            {
                _durableQueues.Add(subscription.Queue);
            }
        }

        var provider = services.BuildServiceProvider();
        var options = new RabbitMqOptions { Uri = uri ?? ClusterServices.RabbitMq, QueuePrefix = Prefix };
        var bus = new TestBus(new RabbitMqBus(Options.Create(options), provider, NullLogger<RabbitMqBus>.Instance), provider);
        _buses.Add(bus);
        await bus.Bus.StartAsync(CancellationToken.None); // returns once the connecting loop runs in the background
        return bus;
    }

    /// <summary>Messages in <paramref name="queue"/> that the broker has not handed to any consumer.</summary>
    public Task<uint> ReadyMessagesAsync(string queue) => _channel.MessageCountAsync(queue);

    public async ValueTask DisposeAsync()
    {
        foreach (var bus in _buses)
        {
            await bus.DisposeAsync();
        }

        foreach (var queue in _durableQueues)
        {
            await _channel.QueueDeleteAsync(queue);
        }

        await _channel.CloseAsync();
        await _admin.CloseAsync();
        _channel.Dispose();
        _admin.Dispose();
    }
}

/// <summary>A bus standing for one process of the cluster; stopping it is that process going away.</summary>
public sealed class TestBus(RabbitMqBus bus, ServiceProvider services) : IAsyncDisposable
{
    private bool _stopped;

    public RabbitMqBus Bus { get; } = bus;

    /// <summary>Stops the bus as a process that shuts down does: its connection closes, and the broker forgets what it held.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(BusScope.Patience);
        await Bus.StopAsync(timeout.Token);
        Bus.Dispose();
        await services.DisposeAsync();
    }
}
