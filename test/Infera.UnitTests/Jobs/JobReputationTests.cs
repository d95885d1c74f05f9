using Infera.NodeLink;
using Infera.Trust;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Jobs;

public sealed class JobReputationTests
{
    private const string Answer = "Paris is the capital of France, on the river Seine, and home to the Louvre.";
    private const string Garbage = "Bananas ripen faster in paper bags because of ethylene gas.";

    private readonly JobHarness _harness = new();

    [Test]
    public async Task Disagreeing_replica_loses_reputation_and_agreeing_nodes_gain()
    {
        var primary = _harness.AddNode(reputation: 90);
        var honest = _harness.AddNode(reputation: 60);
        var outlier = _harness.AddNode(reputation: 30);
        var job = _harness.Start();

        primary.Answer(await primary.DispatchedAsync(), Answer);
        honest.Answer(await honest.DispatchedAsync(), Answer);
        outlier.Answer(await outlier.DispatchedAsync(), Garbage);
        await JobHarness.RestOfStreamAsync(job);

        // Reputation is 100 × agreement × quality; agreement moves by alpha 0.1 toward 1 (agree) or 0 (disagree).
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ReputationOf(primary), Is.EqualTo(91));
            Assert.That(await ReputationOf(honest), Is.EqualTo(64));
            Assert.That(await ReputationOf(outlier), Is.EqualTo(27));
            Assert.That(outlier.Grain.Reputation, Is.EqualTo(27), "the scheduler sees the new reputation at once");
            Assert.That(_harness.ReputationStore.Ledger.Select(c => (c.Address, c.Kind)), Is.EquivalentTo(new[]
            {
                (primary.Address, TrustEventKinds.Reward),
                (honest.Address, TrustEventKinds.Reward),
                (outlier.Address, TrustEventKinds.Slash),
            }));
            Assert.That(_harness.ReputationStore.Get(outlier.Address)!.Stake, Is.EqualTo(80), "a fifth of the stake is slashed");
            Assert.That(_harness.ReputationStore.Get(outlier.Address)!.IsCoolingOff(_harness.Clock.GetUtcNow()), Is.True);
            Assert.That(_harness.ReputationStore.Get(primary.Address)!.Points, Is.EqualTo(1));
            Assert.That(_harness.ReputationStore.Ledger.Select(c => c.JobId), Is.All.EqualTo(job.JobId));
        }
    }

    [Test]
    public async Task Node_that_fails_its_assignment_loses_completion_rate_but_is_not_slashed()
    {
        var primary = _harness.AddNode(reputation: 90);
        var failing = _harness.AddNode(reputation: 60);
        var replica = _harness.AddNode(reputation: 30);
        var job = _harness.Start();

        var failed = await failing.DispatchedAsync();
        failing.Grain.OnReport(new AssignmentFailed(failed.AssignmentId, "out of memory"));
        primary.Answer(await primary.DispatchedAsync(), Answer);
        replica.Answer(await replica.DispatchedAsync(), Answer);
        await JobHarness.RestOfStreamAsync(job);

        using (Assert.EnterMultipleScope())
        {
            // Completion 1 → 0.9 lowers quality to 0.98: 60 × 0.98.
            Assert.That(await ReputationOf(failing), Is.EqualTo(58.8).Within(0.01));
            Assert.That(_harness.ReputationStore.Ledger.Single(c => c.Address == failing.Address).Reason, Is.EqualTo("out of memory"));
            Assert.That(_harness.ReputationStore.Get(failing.Address)!.Stake, Is.EqualTo(100));
            Assert.That(await ReputationOf(primary), Is.GreaterThan(90));
        }
    }

    [Test]
    public async Task Unverified_job_leaves_every_reputation_alone()
    {
        var nodes = new[] { _harness.AddNode(reputation: 90), _harness.AddNode(reputation: 60), _harness.AddNode(reputation: 30) };
        string[] answers = [Answer, Garbage, "Photosynthesis turns light, water and carbon dioxide into sugar."];
        var job = _harness.Start();

        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i].Answer(await nodes[i].DispatchedAsync(), answers[i]);
        }

        await JobHarness.RestOfStreamAsync(job);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_harness.ReputationStore.Ledger.Select(e => e.Kind), Is.All.EqualTo(TrustEventKinds.Unverified));
            Assert.That(_harness.ReputationStore.Ledger.Select(e => e.StakeDelta), Is.All.EqualTo(0), "nobody is slashed without a majority");
            Assert.That(nodes.Select(n => n.Grain.Reputation), Is.EqualTo(new[] { 90, 60, 30 }));
        }
    }

    private async Task<double?> ReputationOf(TestNode node) => (await _harness.ReputationStore.GetAsync(node.Address, CancellationToken.None))?.Reputation;
}
