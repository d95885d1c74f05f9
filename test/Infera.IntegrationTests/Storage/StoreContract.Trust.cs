using Infera.Trust;

namespace Infera.IntegrationTests.Storage;

public abstract partial class StoreContract
{
    private static TrustEvent Event(string address, int n, string kind = TrustEventKinds.Reward, string? job = null) =>
        new(address, job, kind, 50 + n, 51 + n, -0.5 * n, 1.25 * n, $"line {n}", Created.AddSeconds(n));

    [Test]
    public async Task Node_never_scored_has_no_standing()
    {
        Assert.That(await Store.Trust.GetAsync(NewAddress(), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Saved_standing_reads_back_and_saving_again_replaces_it()
    {
        var address = NewAddress();
        var first = NodeTrust.New(address, 0.5, 100);
        var second = new NodeTrust(address, 0.25, 0.9, 0.8, 0.7, 42.5, 17.75, 3, 12, Created.AddMinutes(10), Created.AddMinutes(20), "reputation under the floor");

        await Store.Trust.SaveAsync(first, [], CancellationToken.None);
        var afterFirst = await Store.Trust.GetAsync(address, CancellationToken.None);
        await Store.Trust.SaveAsync(second, [], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterFirst, Is.EqualTo(first));
            Assert.That(await Store.Trust.GetAsync(address, CancellationToken.None), Is.EqualTo(second));
            Assert.That(await Store.CountAsync("SELECT COUNT(*) FROM node_trust"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Ledger_lists_a_nodes_newest_lines_first_up_to_the_limit()
    {
        var address = NewAddress();
        var other = NewAddress();
        var trust = NodeTrust.New(address, 0.5, 100);
        await Store.Trust.SaveAsync(trust, [Event(address, 1, job: "job-1"), Event(address, 2, TrustEventKinds.Slash, "job-2"), Event(address, 3, TrustEventKinds.Failure)], CancellationToken.None);
        await Store.Trust.SaveAsync(NodeTrust.New(other, 0.5, 100), [Event(other, 9)], CancellationToken.None);
        // Order is the order written, not the times the lines carry.
        await Store.Trust.SaveAsync(trust, [Event(address, 5, TrustEventKinds.Unverified), Event(address, 4, TrustEventKinds.Ejected)], CancellationToken.None);

        var ledger = await Store.Trust.EventsAsync(address, 4, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ledger, Is.EqualTo(new[] { Event(address, 4, TrustEventKinds.Ejected), Event(address, 5, TrustEventKinds.Unverified), Event(address, 3, TrustEventKinds.Failure), Event(address, 2, TrustEventKinds.Slash, "job-2") }));
            Assert.That(await Store.Trust.EventsAsync(other, 10, CancellationToken.None), Has.Count.EqualTo(1));
            Assert.That(await Store.Trust.EventsAsync(NewAddress(), 10, CancellationToken.None), Is.Empty);
        }
    }
}
