using Infera.Cluster;
using Infera.Messaging.RabbitMq;
using Infera.NodeLink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Infera.Silo.Cluster;

/// <summary>
/// The silo's own queue. Dispatches, cancels and promotions for the nodes whose sockets it holds go to those nodes; reports of
/// other silos' nodes on this silo's jobs go to their mirrors; a gateway's cancel goes to the job.
/// </summary>
internal sealed partial class SiloInbox(
    RabbitMqBus bus,
    RemoteNodes remoteNodes,
    JobQueueConsumer jobs,
    IOptions<SiloOptions> silo,
    ILogger<SiloInbox> logger) : IBusSubscription
{
    public string Queue { get; } = bus.Options.SiloQueue(silo.Value.SiloId);

    public bool Private => true;

    public ushort Prefetch => 0;

    public async Task HandleAsync(ClusterMessage message, Delivery delivery)
    {
        switch (message)
        {
            case NodeEnvelope { Message: Dispatch dispatch, ReplyTo: { } owner } envelope:
                await DispatchAsync(envelope.Node, dispatch, owner);
                break;
            case NodeEnvelope { Message: Cancel cancel } envelope:
                if (remoteNodes.Local(envelope.Node) is { } node)
                {
                    node.Release(cancel.AssignmentId);
                    await SendQuietlyAsync(node, cancel);
                }

                break;
            case NodeEnvelope { Message: Promote promote } envelope:
                if (remoteNodes.Local(envelope.Node) is { } promoted)
                {
                    await SendQuietlyAsync(promoted, promote);
                }

                break;
            case NodeEnvelope { Message: TokenChunk or AssignmentResult or AssignmentFailed } report:
                remoteNodes.Mirror(report.Node)?.OnReport(report.Message);
                break;
            case CancelJob cancelJob:
                jobs.Cancel(cancelJob.JobId);
                break;
            default:
                LogUnexpected(logger, message.GetType().Name);
                break;
        }
    }

    private async Task DispatchAsync(string address, Dispatch dispatch, string owner)
    {
        var node = remoteNodes.Local(address);
        string? refusal = null;
        if (node is null)
        {
            refusal = "the node is no longer connected to the silo that held it";
        }
        else if (!node.TryReserve(dispatch.Model, dispatch.AssignmentId, new ForwardingSink(bus, node, dispatch.AssignmentId, owner)))
        {
            refusal = "the node has no free slot for this model";
        }
        else
        {
            try
            {
                await node.SendAsync(dispatch, CancellationToken.None);
            }
            catch (Exception ex)
            {
                node.Release(dispatch.AssignmentId);
                refusal = $"dispatch failed: {ex.Message}";
            }
        }

        if (refusal is not null)
        {
            bus.Post(owner, new NodeEnvelope(address, null, new AssignmentFailed(dispatch.AssignmentId, refusal)));
        }
    }

    private static async Task SendQuietlyAsync(Nodes.NodeGrain node, NodeLinkMessage message)
    {
        try
        {
            await node.SendAsync(message, CancellationToken.None);
        }
        catch (Exception)
        {
            // best effort, as for a local cancel
        }
    }

    [LoggerMessage(6301, LogLevel.Warning, "Unexpected {Type} on the silo's queue dropped")]
    private static partial void LogUnexpected(ILogger logger, string type);
}
