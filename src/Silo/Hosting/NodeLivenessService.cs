using Infera.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Infera.Silo.Hosting;

/// <summary>Takes offline the nodes whose socket is open but who stopped heartbeating (a hung agent, a dead NAT).</summary>
internal sealed class NodeLivenessService(NodeRegistry registry, IOptions<SiloOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = options.Value.NodeTimeout;
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = clock.GetUtcNow();
            foreach (var node in registry.Nodes.Where(n => n.IsStale(now, timeout)).ToList())
            {
                registry.Remove(node);
                node.GoOffline($"no heartbeat for {timeout.TotalSeconds:F0} s");
            }
        }
    }
}
