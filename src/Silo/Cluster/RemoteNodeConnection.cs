using Infera.Cluster;
using Infera.Messaging.RabbitMq;
using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.Silo.Cluster;

/// <summary>
/// The link to a node whose socket another silo holds: messages go to that silo's queue. A dispatch is published with
/// confirms and <c>mandatory</c>, so a dispatch to a silo that died throws and the job picks another node.
/// </summary>
internal sealed class RemoteNodeConnection(RabbitMqBus bus, string holderQueue, string replyTo, string node, string? remoteAddress) : INodeConnection
{
    public string HolderQueue { get; } = holderQueue;

    public string? RemoteAddress { get; } = remoteAddress;

    public async ValueTask SendAsync(NodeLinkMessage message, CancellationToken cancellationToken)
    {
        var envelope = new NodeEnvelope(node, replyTo, message);
        if (message is Dispatch)
        {
            await bus.PublishAsync(HolderQueue, envelope, persistent: false, cancellationToken);
        }
        else
        {
            bus.Post(HolderQueue, envelope); // after the dispatch it follows: the broker keeps one queue's order
        }
    }

    public void Abort(string reason)
    {
        // The socket is the holder's to close; the mirror just stops being used.
    }
}
