using Infera.Canaries;
using Infera.Jobs;
using Infera.NodeLink;
using Infera.Trust;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Jobs;

/// <summary>Adaptive verification, canaries and operator diversity, through the real job grain.</summary>
public sealed class JobTrustTests
{
    private const string Answer = "Paris is the capital of France, on the river Seine, and home to the Louvre and the Eiffel Tower.";
    private const string CanaryAnswer =
        "A refrigerator pumps heat out of its cold box: a refrigerant evaporates inside, absorbing heat, and a compressor " +
        "pushes it to the coils at the back where it condenses and releases that heat into the kitchen.";

    private const string Garbage = "Bananas ripen faster in paper bags because of ethylene gas released by the fruit itself.";

    [Test]
    public async Task In_adaptive_mode_a_trusted_nodes_unsampled_job_runs_on_that_node_alone()
    {
        var harness = new JobHarness(new JobOptions { Verification = VerificationMode.Adaptive, AdaptiveSampleRate = 0 });
        var trusted = harness.AddNode(reputation: 95);
        harness.AddNode(reputation: 30);
        harness.AddNode(reputation: 20);

        var job = harness.Start();
        trusted.Answer(await trusted.DispatchedAsync(), Answer);
        await JobHarness.RestOfStreamAsync(job);
        var stored = await harness.StoredAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored.Assignments.Select(a => a.Node), Is.EqualTo(new[] { trusted.Address }));
            Assert.That(stored.Redundancy, Is.EqualTo(1));
            Assert.That(stored.Verification!.Explanation, Does.Contain("Adaptive"));
        }
    }

    [Test]
    public async Task In_adaptive_mode_an_untrusted_primary_is_always_replicated()
    {
        var harness = new JobHarness(new JobOptions { Verification = VerificationMode.Adaptive, AdaptiveSampleRate = 0 });
        var nodes = new[] { harness.AddNode(reputation: 60), harness.AddNode(reputation: 30), harness.AddNode(reputation: 20) };

        var job = harness.Start();
        foreach (var node in nodes)
        {
            node.Answer(await node.DispatchedAsync(), Answer);
        }

        await JobHarness.RestOfStreamAsync(job);
        Assert.That((await harness.StoredAsync(job.JobId)).Assignments, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_canary_answer_is_established_on_k_nodes_then_a_node_that_fails_it_is_slashed()
    {
        var canaries = new CanaryService(new CanaryOptions { NewNodeRate = 1, EstablishedRate = 1 }, new Random(1));
        var harness = new JobHarness(canaries: canaries, random: new Random(1));
        var nodes = new[] { harness.AddNode(reputation: 90), harness.AddNode(reputation: 60), harness.AddNode(reputation: 30) };

        // A user's job; afterwards the service starts establishing a canary answer on all three nodes.
        var first = harness.Start();
        foreach (var node in nodes)
        {
            node.Answer(await node.DispatchedAsync(), Answer);
        }

        await JobHarness.RestOfStreamAsync(first);
        foreach (var node in nodes)
        {
            node.Answer(await node.Link.WaitForAsync<Dispatch>(d => d.JobId != first.JobId), CanaryAnswer);
        }

        await harness.Service.DrainAsync(CancellationToken.None).WaitAsync(Waits.Default);
        Assert.That(canaries.KnownAnswers(JobHarness.Model), Is.EqualTo(1));

        // The next user job is followed by a probe per node: the same canary prompt, on that node alone.
        var second = harness.Start();
        foreach (var node in nodes)
        {
            node.Answer(await node.Link.WaitForAsync<Dispatch>(d => d.JobId == second.JobId), Answer);
        }

        await JobHarness.RestOfStreamAsync(second);
        var seen = new HashSet<string> { first.JobId, second.JobId };
        var probes = new List<Dispatch>();
        foreach (var node in nodes)
        {
            var establishing = node.Link.Sent.OfType<Dispatch>().First(d => !seen.Contains(d.JobId)).JobId;
            var probe = await node.Link.WaitForAsync<Dispatch>(d => !seen.Contains(d.JobId) && d.JobId != establishing);
            probes.Add(probe);
            node.Answer(probe, node == nodes[2] ? Garbage : CanaryAnswer);
        }

        await harness.Service.DrainAsync(CancellationToken.None).WaitAsync(Waits.Default);
        var cheater = harness.ReputationStore.Get(nodes[2].Address)!;
        var probeJob = await harness.StoredAsync(probes[2].JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(probes.Select(p => p.Messages[0].Content).Distinct().Count(), Is.EqualTo(1), "every node got the same known question");
            Assert.That(probeJob.Assignments.Single().Node, Is.EqualTo(nodes[2].Address));
            Assert.That(probeJob.Verification!.Verdicts.Single().Verdict, Is.EqualTo(Verdicts.Disagree));
            Assert.That(cheater.Offences, Is.EqualTo(1));
            Assert.That(harness.ReputationStore.Ledger.Single(e => e.Address == nodes[2].Address && e.Kind == TrustEventKinds.Slash).Reason, Does.StartWith("canary:"));
            Assert.That(harness.ReputationStore.Get(nodes[0].Address)!.Offences, Is.Zero);
        }
    }

    [Test]
    public async Task Without_a_majority_the_job_escalates_to_more_nodes_and_is_judged_again()
    {
        var harness = new JobHarness(new JobOptions { EscalationNodes = 2 });
        var first = new[] { harness.AddNode(reputation: 90), harness.AddNode(reputation: 60), harness.AddNode(reputation: 30) };
        string[] answers = [Answer, Garbage, CanaryAnswer];

        var job = harness.Start();
        var dispatches = await Task.WhenAll(first.Select(n => n.DispatchedAsync()));
        var extra = new[] { harness.AddNode(reputation: 50), harness.AddNode(reputation: 50) }; // join after the first dispatch
        for (var i = 0; i < first.Length; i++)
        {
            first[i].Answer(dispatches[i], answers[i]); // no two agree
        }

        foreach (var node in extra)
        {
            node.Answer(await node.DispatchedAsync(), Answer);
        }

        await JobHarness.RestOfStreamAsync(job);
        var stored = await harness.StoredAsync(job.JobId);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored.Assignments, Has.Count.EqualTo(5));
            Assert.That(stored.Verification!.Status, Is.EqualTo(VerificationStatuses.Verified), "three of five agree");
            Assert.That(stored.Verification.Verdicts.Count(v => v.Verdict == Verdicts.Disagree), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Replicas_of_a_job_go_to_distinct_operators_when_the_pool_allows()
    {
        var harness = new JobHarness();
        var sybils = Enumerable.Range(0, 3).Select(i => AddNode(harness, reputation: 90 - i, op: "0x1111111111111111111111111111111111111111", ip: $"10.0.0.{i + 1}")).ToList();
        var others = Enumerable.Range(0, 2).Select(i => AddNode(harness, reputation: 40, op: null, ip: $"10.{i + 1}.0.1")).ToList();

        var job = harness.Start();
        var view = await harness.InspectAsync(job.JobId);

        var chosen = view!.Assignments.Select(a => a.Node).ToList();
        Assert.That(chosen.Count(sybils.Select(s => s.Address).Contains), Is.EqualTo(1), "one operator's nodes never fill a job's replicas while others are free");
        Assert.That(chosen, Is.SupersetOf(others.Select(o => o.Address)));
    }

    private static TestNode AddNode(JobHarness harness, double reputation, string? op, string ip)
    {
        var link = new FakeNodeConnection(ip);
        var address = Infera.Identity.NodeAddress.FromPublicKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        var hello = TestNodes.Hello(address, 1, [new ModelOffer(JobHarness.Model)]) with { Operator = op };
        var node = new TestNode(new Nodes.NodeGrain(address, hello, link, harness.Clock, TestNodes.Trust(address.Value, reputation)), link);
        harness.ReputationStore.Seed(node.Address, reputation);
        harness.Registry.Add(node.Grain);
        return node;
    }
}
