using Infera.Storage.Postgres;
using Infera.Messaging.RabbitMq;
using Infera.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Infera.Silo.Cluster;

/// <summary>
/// The silo's part in the cluster's shared view, once per heartbeat: renew its lease and publish the nodes it holds,
/// read the nodes every other live silo holds (so its jobs can use them), and now and then rescue jobs whose silo died.
/// </summary>
internal sealed partial class SiloMembership(
    ClusterStore store,
    RemoteNodes remoteNodes,
    IJobStore jobs,
    SiloDrain drain,
    RabbitMqBus bus,
    IOptions<ClusterOptions> cluster,
    IOptions<SiloOptions> silo,
    TimeProvider clock,
    ILogger<SiloMembership> logger) : BackgroundService
{
    private readonly string _siloId = silo.Value.SiloId;
    private readonly string _queue = bus.Options.SiloQueue(silo.Value.SiloId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = cluster.Value;
        var nextRescue = clock.GetUtcNow();
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.HeartbeatAsync(_siloId, _queue, drain.IsDraining, remoteNodes.LocalPresence(), stoppingToken);
                await remoteNodes.ReconcileAsync(await store.LiveNodesAsync(_siloId, options.SiloLease, stoppingToken), _queue, stoppingToken);
                if (clock.GetUtcNow() >= nextRescue)
                {
                    nextRescue = clock.GetUtcNow() + options.RescueInterval;
                    var rescued = await jobs.FailAbandonedAsync(
                        "The silo running this job was lost before it finished; retry the request.", clock.GetUtcNow(), stoppingToken);
                    if (rescued > 0)
                    {
                        LogRescued(logger, rescued);
                    }
                }

                if (failing)
                {
                    failing = false;
                    LogRecovered(logger);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (!failing)
                {
                    failing = true;
                    LogHeartbeatFailed(logger, ex.Message);
                }
            }

            await Task.Delay(options.HeartbeatInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await store.LeaveAsync(_siloId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogHeartbeatFailed(logger, ex.Message); // the lease runs out by itself
        }
    }

    [LoggerMessage(6001, LogLevel.Warning, "Cluster heartbeat failed: {Reason}; this silo's nodes leave others' schedules if it lasts")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(6002, LogLevel.Information, "Cluster heartbeat recovered")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(6003, LogLevel.Warning, "Rescued {Count} job(s) left running by a lost silo: marked failed")]
    private static partial void LogRescued(ILogger logger, int count);
}
