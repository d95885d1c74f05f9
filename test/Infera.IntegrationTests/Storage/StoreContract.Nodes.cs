using System.Security.Cryptography;
using Infera.Identity;
using Infera.NodeLink;
using Infera.Storage;

namespace Infera.IntegrationTests.Storage;

public abstract partial class StoreContract
{
    private static string NewAddress() => NodeAddress.FromPublicKey(RandomNumberGenerator.GetBytes(64)).Value;

    private static NodeRecord Node(string address, DateTimeOffset seenAt, params string[] models) => new(
        address,
        "04" + new string('a', 128),
        "ollama",
        [.. (models.Length == 0 ? ["llama3"] : models).Select(m => new ModelOffer(m))],
        new HardwareInfo("RTX 4090", 24_576, 16, 65_536),
        seenAt);

    [Test]
    public async Task Node_online_for_the_first_time_was_first_seen_now_and_never_online_before()
    {
        var address = NewAddress();

        var (firstSeen, onlineBefore) = await Store.Nodes.NodeOnlineAsync(Node(address, Created), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstSeen, Is.EqualTo(Created));
            Assert.That(onlineBefore, Is.EqualTo(TimeSpan.Zero));
        }
    }

    [Test]
    public async Task Time_online_adds_up_over_sessions_and_first_seen_stays()
    {
        var address = NewAddress();
        await Store.Nodes.NodeOnlineAsync(Node(address, Created), CancellationToken.None);
        await Store.Nodes.NodeOfflineAsync(address, Created.AddSeconds(10.5), CancellationToken.None);
        var second = await Store.Nodes.NodeOnlineAsync(Node(address, Created.AddMinutes(1)), CancellationToken.None);
        await Store.Nodes.NodeOfflineAsync(address, Created.AddMinutes(1).AddSeconds(15), CancellationToken.None);

        var third = await Store.Nodes.NodeOnlineAsync(Node(address, Created.AddMinutes(5)), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo((Created, TimeSpan.FromMilliseconds(10_500))));
            Assert.That(third, Is.EqualTo((Created, TimeSpan.FromMilliseconds(25_500))));
            Assert.That(await Store.CountAsync("SELECT COUNT(*) FROM nodes"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Going_offline_twice_counts_the_session_once()
    {
        var address = NewAddress();
        await Store.Nodes.NodeOnlineAsync(Node(address, Created), CancellationToken.None);
        await Store.Nodes.NodeOfflineAsync(address, Created.AddSeconds(10), CancellationToken.None);
        await Store.Nodes.NodeOfflineAsync(address, Created.AddSeconds(30), CancellationToken.None);

        var (_, onlineBefore) = await Store.Nodes.NodeOnlineAsync(Node(address, Created.AddMinutes(1)), CancellationToken.None);

        Assert.That(onlineBefore, Is.EqualTo(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task Going_offline_before_the_session_began_adds_no_time()
    {
        var address = NewAddress();
        await Store.Nodes.NodeOnlineAsync(Node(address, Created), CancellationToken.None);
        await Store.Nodes.NodeOfflineAsync(address, Created.AddSeconds(-10), CancellationToken.None);

        var (_, onlineBefore) = await Store.Nodes.NodeOnlineAsync(Node(address, Created.AddMinutes(1)), CancellationToken.None);

        Assert.That(onlineBefore, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task Coming_online_again_without_going_offline_starts_a_new_session()
    {
        var address = NewAddress();
        await Store.Nodes.NodeOnlineAsync(Node(address, Created), CancellationToken.None);
        await Store.Nodes.NodeOnlineAsync(Node(address, Created.AddSeconds(20)), CancellationToken.None);
        await Store.Nodes.NodeOfflineAsync(address, Created.AddSeconds(25), CancellationToken.None);

        var (_, onlineBefore) = await Store.Nodes.NodeOnlineAsync(Node(address, Created.AddMinutes(1)), CancellationToken.None);

        Assert.That(onlineBefore, Is.EqualTo(TimeSpan.FromSeconds(5)), "the first session's 20 s are not counted");
    }

    [Test]
    public async Task Unknown_node_going_offline_records_nothing()
    {
        await Store.Nodes.NodeOfflineAsync(NewAddress(), Created, CancellationToken.None);

        Assert.That(await Store.CountAsync("SELECT COUNT(*) FROM nodes"), Is.Zero);
    }
}
