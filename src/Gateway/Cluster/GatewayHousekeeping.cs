using System.Text;
using Infera.Jobs;
using Infera.Messaging.RabbitMq;
using Infera.NodeLink;
using Infera.Storage.Postgres;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Infera.Gateway.Cluster;

/// <summary>Refreshes the cluster's models and silo count, and ends jobs no silo reports on any more.</summary>
internal sealed partial class GatewayHousekeeping(
    ClusterStore cluster,
    ClusterModels models,
    BusJobService jobs,
    RabbitMqBus bus,
    IOptions<GatewayOptions> options,
    TimeProvider clock,
    ILogger<GatewayHousekeeping> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            jobs.ExpireIdle();
            try
            {
                models.Current = Aggregate(await cluster.LiveNodesAsync(null, options.Value.SiloLease, stoppingToken));
                if (await bus.ConsumerCountAsync(bus.Options.JobsQueue, stoppingToken) is { } silos)
                {
                    models.SilosTakeJobs = silos > 0;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(options.Value.RefreshInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static List<ModelListing> Aggregate(IReadOnlyList<RemoteNodePresence> nodes)
    {
        var byModel = new SortedDictionary<string, (bool Simulated, int Nodes)>(StringComparer.Ordinal);
        foreach (var node in nodes.Where(n => !n.Draining))
        {
            if (NodeLinkProtocol.Deserialize(Encoding.UTF8.GetBytes(node.Hello)) is not Hello hello)
            {
                continue;
            }

            foreach (var offer in hello.Models)
            {
                byModel.TryGetValue(offer.Name, out var entry);
                byModel[offer.Name] = (entry.Simulated || offer.Simulated, entry.Nodes + 1);
            }
        }

        return [.. byModel.Select(m => new ModelListing(m.Key, m.Value.Simulated, m.Value.Nodes))];
    }

    [LoggerMessage(7001, LogLevel.Warning, "Refreshing the cluster's models failed: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
