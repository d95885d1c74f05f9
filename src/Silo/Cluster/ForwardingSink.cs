using Infera.Cluster;
using Infera.Messaging.RabbitMq;
using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.Silo.Cluster;

/// <summary>
/// On the silo holding a node's socket: passes what the node reports for another silo's assignment back to that silo,
/// in order, and frees the node's slot when the assignment ends.
/// </summary>
internal sealed class ForwardingSink(RabbitMqBus bus, NodeGrain node, string assignmentId, string ownerQueue) : IAssignmentSink
{
    public void OnToken(string text) => Send(new TokenChunk(assignmentId, text));

    public void OnResult(AssignmentResult result)
    {
        node.Release(assignmentId);
        Send(result);
    }

    public void OnFailed(string error)
    {
        node.Release(assignmentId);
        Send(new AssignmentFailed(assignmentId, error));
    }

    private void Send(NodeLinkMessage message) => bus.Post(ownerQueue, new NodeEnvelope(node.Address.Value, null, message));
}
