using Infera.Identity;
using Infera.Jobs;
using Infera.Network;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Trust;

namespace Infera.IntegrationTests.Storage;

public abstract partial class StoreContract
{
    [Test]
    public async Task Directory_lists_nodes_in_the_order_first_seen_with_their_offer_and_standing()
    {
        var scored = NewAddress();
        var unscored = NewAddress();
        await Store.Nodes.NodeOnlineAsync(Node(unscored, Created.AddSeconds(1)), CancellationToken.None);
        await Store.Nodes.NodeOnlineAsync(Node(scored, Created, "llama3", "qwen2.5"), CancellationToken.None);
        await Store.Nodes.NodeOfflineAsync(scored, Created.AddMinutes(3), CancellationToken.None);
        var trust = new NodeTrust(scored, 0.9, 1, 0.5, 1, 95, 12.5, 1, 7, null, null, null);
        await Store.Trust.SaveAsync(trust, [], CancellationToken.None);

        var nodes = await Store.Directory(new NodeRegistry()).ListAsync(CancellationToken.None);

        Assert.That(nodes, Is.EqualTo(new[]
        {
            new NodeView(scored, NodeStatuses.Offline, null, "ollama", ["llama3", "qwen2.5"], trust.Reputation, 95, 12.5, 1, 7, null, null, null, Created, Created.AddMinutes(3)),
            new NodeView(unscored, NodeStatuses.Offline, null, "ollama", ["llama3"], 0, 0, 0, 0, 0, null, null, null, Created.AddSeconds(1), Created.AddSeconds(1)),
        }).UsingPropertiesComparer());
    }

    [Test]
    public async Task Directory_shows_an_ejected_node_as_ejected_and_a_connected_one_with_its_live_standing()
    {
        var ejected = NewAddress();
        var live = NewAddress();
        var cooling = NewAddress();
        foreach (var address in new[] { ejected, live, cooling })
        {
            await Store.Nodes.NodeOnlineAsync(Node(address, Created), CancellationToken.None);
        }

        await Store.Trust.SaveAsync(NodeTrust.New(ejected, 0.5, 100) with { EjectedAt = Created, EjectedReason = "slashed below the floor" }, [], CancellationToken.None);
        await Store.Trust.SaveAsync(NodeTrust.New(live, 0.5, 100), [], CancellationToken.None);
        var registry = new NodeRegistry();
        var liveTrust = NodeTrust.New(live, 0.75, 120);
        registry.Add(Connected(live, liveTrust));
        registry.Add(Connected(cooling, NodeTrust.New(cooling, 0.5, 100) with { CoolingOffUntil = DateTimeOffset.UtcNow.AddHours(1) }));

        var nodes = (await Store.Directory(registry).ListAsync(CancellationToken.None)).ToDictionary(n => n.Address);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nodes[ejected].Status, Is.EqualTo(NodeStatuses.Ejected));
            Assert.That(nodes[ejected].EjectedReason, Is.EqualTo("slashed below the floor"));
            Assert.That(nodes[live].Status, Is.EqualTo(NodeStatuses.Online));
            Assert.That(nodes[live].Reputation, Is.EqualTo(liveTrust.Reputation), "the connected grain's standing wins over the stored one");
            Assert.That(nodes[live].Stake, Is.EqualTo(120));
            Assert.That(nodes[cooling].Status, Is.EqualTo(NodeStatuses.CoolingOff));
        }
    }

    [Test]
    public async Task Node_detail_has_its_recent_verdicts_newest_job_first_and_its_ledger()
    {
        var address = NewAddress();
        var other = NewAddress();
        await Store.Nodes.NodeOnlineAsync(Node(address, Created), CancellationToken.None);
        for (var i = 0; i < 22; i++)
        {
            var mine = Assignment($"job-{i}.1", address, AssignmentRoles.Primary);
            var theirs = Assignment($"job-{i}.2", other);
            var job = Completed($"job-{i}", mine, theirs) with { CreatedAt = Created.AddSeconds(i) };
            job = job with { Verification = job.Verification! with { Verdicts = [new VerdictView(address, mine.Id, i % 2 == 0 ? Verdicts.Agree : Verdicts.Disagree, 0.5 + (i / 100.0), i % 2 == 0 ? null : "low similarity"), new VerdictView(other, theirs.Id, Verdicts.Agree, 0.9)] } };
            await Store.Jobs.SaveAsync("tenant-a", job, CancellationToken.None);
        }

        var trust = NodeTrust.New(address, 0.5, 100);
        await Store.Trust.SaveAsync(trust, [.. Enumerable.Range(0, 22).Select(n => Event(address, n, job: $"job-{n}"))], CancellationToken.None);

        var detail = await Store.Directory(new NodeRegistry()).GetAsync(address.ToLowerInvariant(), CancellationToken.None);

        Assert.That(detail, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(detail!.Node.Address, Is.EqualTo(address));
            Assert.That(detail.RecentVerdicts, Has.Count.EqualTo(20));
            Assert.That(detail.RecentVerdicts[0], Is.EqualTo(new NodeVerdictView("job-21", "job-21.1", Verdicts.Disagree, 0.71, "low similarity")));
            Assert.That(detail.RecentVerdicts[1], Is.EqualTo(new NodeVerdictView("job-20", "job-20.1", Verdicts.Agree, 0.7, null)));
            Assert.That(detail.RecentVerdicts.Select(v => v.JobId), Is.EqualTo(Enumerable.Range(2, 20).Reverse().Select(i => $"job-{i}")));
            Assert.That(detail.Ledger, Has.Count.EqualTo(20));
            Assert.That(detail.Ledger[0], Is.EqualTo(new LedgerLineView("job-21", TrustEventKinds.Reward, 71, 72, -10.5, 26.25, "line 21", Created.AddSeconds(21))));
            Assert.That(detail.Ledger[^1].JobId, Is.EqualTo("job-2"));
        }
    }

    [Test]
    public async Task Node_never_seen_or_not_an_address_has_no_detail()
    {
        var directory = Store.Directory(new NodeRegistry());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await directory.GetAsync(NewAddress(), CancellationToken.None), Is.Null);
            Assert.That(await directory.GetAsync("not-an-address", CancellationToken.None), Is.Null);
        }
    }

    /// <summary>A node grain as the silo holds it while the node is connected.</summary>
    private static NodeGrain Connected(string address, NodeTrust trust)
    {
        var hello = new Hello(address, "04", "sig", 0, "test", "ollama", 1, [new ModelOffer("llama3")], new HardwareInfo(null, null, 4, 8_192));
        return new NodeGrain(NodeAddress.Parse(address), hello, new IdleConnection(), TimeProvider.System, trust);
    }

    private sealed class IdleConnection : INodeConnection
    {
        public string? RemoteAddress => null;

        public ValueTask SendAsync(NodeLinkMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Abort(string reason)
        {
        }
    }
}
