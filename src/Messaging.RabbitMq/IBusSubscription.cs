using Infera.Cluster;

namespace Infera.Messaging.RabbitMq;

/// <summary>
/// A queue this process reads, registered in DI; the bus starts a consumer for each when it connects. A private queue
/// is the process's own: exclusive, so the broker deletes it when the process is gone, and read without
/// acknowledgements. A shared queue is durable and read by every process of a kind; its messages are acknowledged by
/// the handler through <see cref="Delivery.AckAsync"/>, at most <see cref="Prefetch"/> outstanding at once.
/// </summary>
public interface IBusSubscription
{
    string Queue { get; }

    bool Private { get; }

    ushort Prefetch { get; }

    /// <summary>Handles one message. Messages of a queue are handled one at a time, in order; keep this short.</summary>
    Task HandleAsync(ClusterMessage message, Delivery delivery);

    /// <summary>
    /// Called on a private subscription when the connection to the broker drops: the queue went with it, with what it
    /// held and what others send it until the bus reconnects and declares it again. Keep this short.
    /// </summary>
    void ConnectionLost()
    {
    }
}
