using System.Threading.Channels;
using Infera.Cluster;
using Infera.Messaging.RabbitMq;

namespace Infera.ClusterTests.Support;

/// <summary>A queue a test bus reads: it keeps every message with its delivery, and acknowledges only when told to.</summary>
public sealed class RecordingSubscription(string queue, bool isPrivate, ushort prefetch = 0, bool ack = false) : IBusSubscription
{
    private readonly Channel<(ClusterMessage Message, Delivery Delivery)> _received =
        Channel.CreateUnbounded<(ClusterMessage, Delivery)>();

    public string Queue { get; } = queue;

    public bool Private { get; } = isPrivate;

    public ushort Prefetch { get; } = prefetch;

    /// <summary>Messages received but not yet taken by <see cref="NextAsync"/>.</summary>
    public int Waiting => _received.Reader.Count;

    public async Task HandleAsync(ClusterMessage message, Delivery delivery)
    {
        if (ack)
        {
            await delivery.AckAsync();
        }

        _received.Writer.TryWrite((message, delivery));
    }

    /// <summary>The next message received, failing the test with <paramref name="what"/> when none comes in time.</summary>
    public async Task<(ClusterMessage Message, Delivery Delivery)> NextAsync(TimeSpan timeout, string what)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            return await _received.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{Queue}: {what} did not arrive within {timeout.TotalSeconds:F0} s.");
            throw;
        }
    }
}
