using Infera.Jobs;
using Infera.Messaging.RabbitMq;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Infera.Silo.Cluster;

/// <summary>
/// Graceful stop on SIGTERM, before anything else stops: take no more jobs (they stay queued for other silos), let the
/// jobs running here finish up to the drain timeout, then tell this silo's agents to finish what they run and
/// reconnect to another silo, and close the links that are left.
/// </summary>
internal sealed partial class SiloDrain(
    RabbitMqBus bus,
    JobQueueConsumer consumer,
    JobService jobs,
    RemoteNodes remoteNodes,
    NodeRegistry registry,
    NodeLinkShutdown links,
    IOptions<ClusterOptions> options,
    TimeProvider clock,
    ILogger<SiloDrain> logger) : IHostedLifecycleService
{
    public bool IsDraining { get; private set; }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        IsDraining = true;
        consumer.Refusing = true;
        var started = clock.GetTimestamp();
        using var deadline = new CancellationTokenSource(options.Value.DrainTimeout, clock);
        LogDrainStarted(logger, jobs.ActiveJobs, options.Value.DrainTimeout.TotalSeconds);
        try
        {
            await bus.StopConsumingAsync(bus.Options.JobsQueue, deadline.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDrainStep(logger, "stop taking jobs", ex.Message);
        }

        try
        {
            await jobs.DrainAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            LogDrainStep(logger, "finish running jobs", $"{jobs.ActiveJobs} job(s) still running at the drain timeout");
        }

        var local = registry.Nodes.Where(n => remoteNodes.Local(n.Address.Value) == n).ToList();
        foreach (var node in local)
        {
            node.Drain();
            try
            {
                await node.SendAsync(new Drain("this silo is shutting down; reconnect to another silo"), deadline.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // a link that is already gone needs no drain
            }
        }

        // Agents close their link once their running assignments (some for other silos' jobs) are done.
        while (!deadline.IsCancellationRequested && local.Any(n => n.Status != NodeStatus.Offline && n.ActiveAssignments > 0))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, CancellationToken.None);
        }

        links.Close();
        LogDrained(logger, clock.GetElapsedTime(started).TotalSeconds, jobs.ActiveJobs);
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        links.DrainFirst = true;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(6201, LogLevel.Information, "Draining: {Jobs} job(s) running, up to {TimeoutSeconds} s")]
    private static partial void LogDrainStarted(ILogger logger, int jobs, double timeoutSeconds);

    [LoggerMessage(6202, LogLevel.Warning, "Drain step '{Step}' incomplete: {Reason}")]
    private static partial void LogDrainStep(ILogger logger, string step, string reason);

    [LoggerMessage(6203, LogLevel.Information, "Drained in {Seconds:F1} s; {Jobs} job(s) left running")]
    private static partial void LogDrained(ILogger logger, double seconds, int jobs);
}
