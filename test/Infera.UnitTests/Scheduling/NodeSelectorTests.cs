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

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Higher_reputation_ranks_first(int seed)
    {
        var low = Node(reputation: 20);
        var high = Node(reputation: 90);
        var middle = Node(reputation: 55);

        Assert.That(Rank([low, high, middle], wanted: 3, seed), Is.EqualTo(new[] { high, middle, low }));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void More_free_capacity_ranks_first_at_equal_reputation(int seed)
    {
        var loaded = Node(maxConcurrency: 4);
        var free = Node(maxConcurrency: 4);
        Occupy(loaded, 3);

        Assert.That(Rank([loaded, free], wanted: 2, seed), Is.EqualTo(new[] { free, loaded }));
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

        var ranked = Rank([best, sameSubnet, elsewhere], wanted: 2);

        Assert.That(ranked, Is.EqualTo(new[] { best, elsewhere, sameSubnet }), "the shared subnet is deferred, not dropped");
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

        Assert.That(ranked, Is.EqualTo(new[] { fresh, usedOperator, usedSubnet }));
    }

    [Test]
    public void Small_network_still_gets_every_replica_from_shared_subnets()
    {
        var a = Node(reputation: 90, ip: "10.0.0.1");
        var b = Node(reputation: 60, ip: "10.0.0.2");
        var c = Node(reputation: 30, ip: "10.0.0.3");

        Assert.That(Rank([c, a, b], wanted: 3), Is.EqualTo(new[] { a, b, c }));
    }

    [Test]
    public void Nodes_with_unknown_address_do_not_share_a_subnet()
    {
        var a = Node(reputation: 90);
        var b = Node(reputation: 60);
        var c = Node(reputation: 30, ip: "10.0.0.3");

        Assert.That(Rank([c, b, a], wanted: 2), Is.EqualTo(new[] { a, b, c }));
    }
}
