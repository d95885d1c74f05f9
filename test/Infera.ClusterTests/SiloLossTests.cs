using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Infera.ClusterTests.Support;

namespace Infera.ClusterTests;

/// <summary>The cluster keeps its promises when a silo dies with jobs streaming: nothing lost, nothing stuck, agents back fast.</summary>
public sealed class SiloLossTests
{
    [Test]
    [CancelAfter(240_000)]
    public async Task Killing_a_silo_mid_stream_loses_no_job_and_its_agents_reconnect_within_5_s()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 3, gateways: 2, agents: 6);
        const int jobs = 60;
        const int clients = 6;
        var outcomes = new ConcurrentBag<JobOutcome>();
        var started = 0;
        var killAfter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task ClientAsync(int client)
        {
            while (Interlocked.Increment(ref started) is var n && n <= jobs)
            {
                if (n == jobs / 3)
                {
                    killAfter.TrySetResult();
                }

                var gateway = cluster.Gateways[n % cluster.Gateways.Count];
                outcomes.Add(await JobOutcome.RunAsync(cluster.Client, gateway.Url, gateway.Name, maxTokens: 120));
            }
        }

        var load = Task.WhenAll(Enumerable.Range(0, clients).Select(ClientAsync));

        // Kill the silo that holds the most agents, while jobs stream through it and the others.
        await killAfter.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var victim = cluster.Silos.OrderByDescending(s => cluster.Agents.Count(a => a.Silo?.Port == s.Url.Port)).First();
        var orphans = cluster.Agents.Where(a => a.Silo?.Port == victim.Url.Port).Select(a => (Agent: a, a.Connections)).ToList();
        var clock = Stopwatch.StartNew();
        victim.Kill();

        var reconnect = new List<TimeSpan>();
        foreach (var (agent, connections) in orphans)
        {
            while (!(agent.Connections > connections && agent.Silo?.Port != victim.Url.Port) && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }

            reconnect.Add(clock.Elapsed);
        }

        await load.WaitAsync(TimeSpan.FromSeconds(150));

        // Every accepted job ends in the shared store, readable through a gateway that did not submit it.
        var reader = cluster.Gateways[0];
        var accepted = outcomes.Where(o => o.JobId is not null).ToList();
        var stuck = new List<string>();
        foreach (var outcome in accepted)
        {
            var status = await cluster.WaitForJobEndAsync(reader.Url, outcome.JobId!, TimeSpan.FromSeconds(30));
            if (status is null or "running")
            {
                stuck.Add($"{outcome.JobId}: {status ?? "not found"}");
            }
        }

        var completed = outcomes.Count(o => o.Kind == JobOutcome.Completed);
        var failed = outcomes.Where(o => o.Kind == JobOutcome.FailedWithReason).ToList();
        var lost = outcomes.Where(o => o.Kind == JobOutcome.Lost).ToList();
        TestContext.Out.WriteLine(
            $"silo loss: {jobs} jobs, {accepted.Count} accepted, {completed} completed, {failed.Count} failed with a reason, {lost.Count} lost, "
            + $"{stuck.Count} stuck; {orphans.Count} agent(s) on the killed silo reconnected in max {TestCluster.Seconds(reconnect.DefaultIfEmpty().Max())}");
        foreach (var reason in failed.GroupBy(f => f.Reason))
        {
            TestContext.Out.WriteLine($"  failed ×{reason.Count()}: {reason.Key}");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes, Has.Count.EqualTo(jobs));
            Assert.That(orphans, Is.Not.Empty, "the killed silo held no agent, so the test showed nothing");
            Assert.That(lost.Select(l => $"{l.JobId} via {l.Gateway}: {l.Reason}"), Is.Empty, "jobs lost without a reason");
            Assert.That(stuck, Is.Empty, "jobs left running in the store");
            Assert.That(failed.Select(f => f.Reason), Has.All.Not.Empty);
            Assert.That(completed, Is.GreaterThanOrEqualTo(jobs / 2), "most jobs complete despite the loss");
            Assert.That(reconnect, Has.All.LessThanOrEqualTo(TimeSpan.FromSeconds(5)), "agents of the killed silo reconnect within 5 s");
        }

        // The survivors still serve: every agent is back, and a new job completes.
        await cluster.WaitForNodesAsync(cluster.Agents.Count, TimeSpan.FromSeconds(10));
        var after = await JobOutcome.RunAsync(cluster.Client, reader.Url, reader.Name, maxTokens: 20);
        Assert.That(after.Kind, Is.EqualTo(JobOutcome.Completed), after.Reason);
    }
}
