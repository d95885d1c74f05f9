using System.Diagnostics;
using Infera.ClusterTests.Support;

namespace Infera.ClusterTests;

/// <summary>SIGTERM, as Kubernetes sends it: the silo finishes what it runs, hands its agents on, and exits cleanly.</summary>
public sealed class DrainTests
{
    [Test]
    [CancelAfter(180_000)]
    public async Task A_terminated_silo_finishes_its_streams_and_its_agents_move_to_another_silo()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 2, gateways: 1, agents: 4);
        var gateway = cluster.Gateways[0];
        var victim = cluster.Silos.OrderByDescending(s => cluster.Agents.Count(a => a.Silo?.Port == s.Url.Port)).First();
        var moving = cluster.Agents.Where(a => a.Silo?.Port == victim.Url.Port).ToList();

        // Streams of about 2 s; the silo is told to stop while they run.
        var streams = Enumerable.Range(0, 4).Select(_ => JobOutcome.RunAsync(cluster.Client, gateway.Url, gateway.Name, maxTokens: 300)).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        var clock = Stopwatch.StartNew();
        var exitCode = await victim.TerminateAsync(TimeSpan.FromSeconds(30));
        var stopped = clock.Elapsed;
        var outcomes = await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(60));

        TestContext.Out.WriteLine($"drain: exit code {exitCode} after {TestCluster.Seconds(stopped)}; streams: "
            + string.Join(", ", outcomes.Select(o => o.Kind + (o.Reason is null ? string.Empty : $" ({o.Reason})"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(moving, Is.Not.Empty, "the terminated silo held no agent");
            Assert.That(exitCode, Is.Zero, victim.Output);
            Assert.That(outcomes.Select(o => o.Kind), Has.All.EqualTo(JobOutcome.Completed), "streams running during the drain complete");
            Assert.That(moving.Select(a => a.Silo?.Port), Has.All.Not.EqualTo(victim.Url.Port), "the drained silo's agents moved");
        }

        await cluster.WaitForNodesAsync(cluster.Agents.Count, TimeSpan.FromSeconds(10));
        var after = await JobOutcome.RunAsync(cluster.Client, gateway.Url, gateway.Name, maxTokens: 20);
        Assert.That(after.Kind, Is.EqualTo(JobOutcome.Completed), after.Reason);
    }
}
