using Infera.Jobs;
using Infera.Nodes;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Scheduling;

public sealed class NodeSelectorTests
{
    private readonly FakeTimeProvider _clock = new();

    private NodeGrain Node(double reputation = 50, int maxConcurrency = 1, string? ip = null) =>
        TestNodes.Create(_clock, reputation, maxConcurrency, ip).Grain;

    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static List<NodeGrain> Rank(IReadOnlyList<NodeGrain> candidates, int wanted, int seed = 7) =>
        NodeSelector.Rank(candidates, wanted, new HashSet<string>(), new HashSet<string>(), new Random(seed), Now);

    private static void Occupy(NodeGrain node, int slots)
    {
        for (var i = 0; i < slots; i++)
        {
            Assert.That(node.TryReserve("llama3", $"busy-{i}", new NullAssignmentSink()), Is.True, "a slot to occupy");
        }
    }

    [Test]
    public void Node_at_capacity_is_skipped()
    {
        var busy = Node(reputation: 100);
        var idle = Node(reputation: 10);
        Occupy(busy, 1);

        Assert.That(Rank([busy, idle], wanted: 3), Is.EqualTo(new[] { idle }));
    }

    [Test]
    public void Higher_reputation_is_drawn_first_more_often_but_low_reputation_nodes_still_get_work()
    {
        var low = Node(reputation: 20);
        var high = Node(reputation: 90);
        var random = new Random(5);

        var firsts = Enumerable.Range(0, 2000).Select(_ => NodeSelector.Rank([low, high], 1, new HashSet<string>(), new HashSet<string>(), random, Now)[0]).ToList();
        var lowShare = firsts.Count(n => n == low) / 2000.0;

        // Weights 0.4 and 1.1: the low node leads about 0.4 / 1.5 of the draws.
        Assert.That(lowShare, Is.InRange(0.20, 0.34));
    }

    [Test]
    public void More_free_capacity_is_drawn_first_more_often_at_equal_reputation()
    {
        var loaded = Node(maxConcurrency: 4);
        var free = Node(maxConcurrency: 4);
        Occupy(loaded, 3);
        var random = new Random(9);

        var freeFirst = Enumerable.Range(0, 2000).Count(_ => NodeSelector.Rank([loaded, free], 2, new HashSet<string>(), new HashSet<string>(), random, Now)[0] == free);

        Assert.That(freeFirst / 2000.0, Is.GreaterThan(0.7), "a quarter of the capacity left means a quarter of the weight");
    }

    [Test]
    public void Equal_nodes_share_the_first_place_across_draws()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => Node()).ToList();
        var random = new Random(11);

        var firsts = Enumerable.Range(0, 60)
            .Select(_ => NodeSelector.Rank(nodes, 1, new HashSet<string>(), new HashSet<string>(), random, Now)[0])
            .ToHashSet();

        Assert.That(firsts, Has.Count.EqualTo(3), "the jitter should spread ties over every equal node");
    }

    [Test]
    public void First_k_prefer_distinct_subnets_over_a_better_node_on_a_used_subnet()
    {
        var best = Node(reputation: 100, ip: "203.0.113.10");
        var sameSubnet = Node(reputation: 90, ip: "203.0.113.77");
        var elsewhere = Node(reputation: 40, ip: "198.51.100.5");

        for (var seed = 0; seed < 20; seed++)
        {
            var ranked = Rank([best, sameSubnet, elsewhere], wanted: 2, seed);
            Assert.That(ranked[..2], Does.Contain(elsewhere), "the first two never share a subnet while another is free");
            Assert.That(ranked, Has.Count.EqualTo(3), "the shared subnet is deferred, not dropped");
        }
    }

    [Test]
    public void Operators_and_subnets_already_used_by_the_job_are_deferred()
    {
        var usedOperator = Node(reputation: 100, ip: "192.0.2.1");
        var usedSubnet = Node(reputation: 90, ip: "198.51.100.9");
        var fresh = Node(reputation: 10, ip: "203.0.113.1");

        var ranked = NodeSelector.Rank(
            [usedOperator, usedSubnet, fresh],
            wanted: 1,
            new HashSet<string> { usedOperator.Operator },
            new HashSet<string> { "198.51.100.0/24" },
            new Random(3),
            Now);

        Assert.That(ranked[0], Is.EqualTo(fresh));
        Assert.That(ranked, Is.EquivalentTo(new[] { fresh, usedOperator, usedSubnet }));
    }

    [Test]
    public void After_the_first_k_the_rest_follow_in_draw_order_whatever_their_subnet()
    {
        double[] reputations = [90, 80, 70, 60, 50];
        string[] shared = ["10.0.0.1", "10.0.0.2", "10.0.1.1", "10.0.2.1", "10.0.1.2"];
        var nodes = reputations.Select((r, i) => Node(r, ip: shared[i])).ToArray();
        // The same weights on distinct subnets: every one is "diverse", so their order is the plain weighted draw.
        var twins = reputations.Select((r, i) => Node(r, ip: $"198.51.{i}.1")).ToArray();

        for (var seed = 0; seed < 20; seed++)
        {
            var drawn = Rank(twins, wanted: twins.Length, seed).Select(n => nodes[Array.IndexOf(twins, n)]).ToList();
            var ranked = Rank(nodes, wanted: 2, seed);

            var firstTwo = ranked[..2];
            Assert.That(firstTwo.Select(n => n.Subnet).Distinct().Count(), Is.EqualTo(2), $"seed {seed}: two subnets first");
            Assert.That(ranked[2..], Is.EqualTo(drawn.Except(firstTwo)), $"seed {seed}: the fallbacks are tried best first");
        }
    }

    [Test]
    public void Small_network_still_gets_every_replica_from_shared_subnets()
    {
        var a = Node(reputation: 90, ip: "10.0.0.1");
        var b = Node(reputation: 60, ip: "10.0.0.2");
        var c = Node(reputation: 30, ip: "10.0.0.3");

        Assert.That(Rank([c, a, b], wanted: 3), Is.EquivalentTo(new[] { a, b, c }));
    }

    [Test]
    public void Nodes_with_unknown_address_do_not_share_a_subnet()
    {
        var a = Node(reputation: 90);
        var b = Node(reputation: 60);
        var c = Node(reputation: 30, ip: "10.0.0.3");

        // Without addresses, a and b are never deferred for c's sake: every order is possible, none drops a node.
        var firstTwo = Enumerable.Range(0, 50).Select(seed => Rank([c, b, a], wanted: 2, seed)).ToList();
        Assert.That(firstTwo.Select(r => r.Count), Is.All.EqualTo(3));
        Assert.That(firstTwo.Any(r => r[..2].Contains(a) && r[..2].Contains(b)), Is.True);
    }
}
