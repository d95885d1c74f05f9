using Infera.Jobs;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Scheduling;

public sealed class NodeRegistryTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly NodeRegistry _registry = new();

    /// <summary>Every live node serving the model: a sample as large as the pool.</summary>
    private List<NodeGrain> Serving(string model) => _registry.Candidates(model, int.MaxValue, new Random(0));

    private NodeGrain Connect(params ModelOffer[] models)
    {
        var node = TestNodes.Create(_clock, models: models).Grain;
        Assert.That(_registry.Add(node), Is.Null, "a first connection replaces nothing");
        return node;
    }

    [Test]
    public void Serving_lists_only_online_nodes_that_offer_the_model()
    {
        var llama = Connect(new ModelOffer("llama3"));
        var both = Connect(new ModelOffer("llama3"), new ModelOffer("mistral"));
        Connect(new ModelOffer("mistral"));
        var draining = Connect(new ModelOffer("llama3"));
        var offline = Connect(new ModelOffer("llama3"));
        draining.Drain();
        offline.GoOffline("link lost");

        Assert.That(Serving("llama3"), Is.EquivalentTo(new[] { llama, both }));
    }

    [Test]
    public void Serving_a_model_nobody_offers_is_empty()
    {
        Connect(new ModelOffer("llama3"));

        Assert.That(Serving("gpt-5"), Is.Empty);
    }

    [Test]
    public void Serving_includes_busy_nodes_because_load_is_the_schedulers_concern()
    {
        var busy = Connect(new ModelOffer("llama3"));
        Assert.That(busy.TryReserve("llama3", "a1", new NullAssignmentSink()), Is.True);

        Assert.That(Serving("llama3"), Is.EqualTo(new[] { busy }));
    }

    [Test]
    public void Heartbeat_with_new_models_changes_what_a_node_serves()
    {
        var node = Connect(new ModelOffer("llama3"));

        var changed = node.OnHeartbeat(new Heartbeat(0, [new ModelOffer("qwen2")]));
        _registry.Refile(node); // what the node link does when a heartbeat changes the offer

        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Is.True);
            Assert.That(node.OnHeartbeat(new Heartbeat(0, [new ModelOffer("qwen2")])), Is.False, "the same offer again is no change");
            Assert.That(Serving("llama3"), Is.Empty);
            Assert.That(Serving("qwen2"), Is.EqualTo(new[] { node }));
        }
    }

    [Test]
    public void Candidates_are_a_distinct_random_sample_of_the_models_pool()
    {
        var nodes = Enumerable.Range(0, 200).Select(_ => Connect(new ModelOffer("llama3"))).ToList();
        Connect(new ModelOffer("other"));
        var random = new Random(4);

        var samples = Enumerable.Range(0, 50).Select(_ => _registry.Candidates("llama3", 32, random)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(samples.Select(s => s.Count), Is.All.EqualTo(32));
            Assert.That(samples.Select(s => s.Distinct().Count()), Is.All.EqualTo(32));
            Assert.That(samples.SelectMany(s => s).Distinct().Count(), Is.GreaterThan(190), "over many draws every node turns up");
            Assert.That(_registry.Candidates("llama3", 500, random), Is.EquivalentTo(nodes), "a small pool is returned whole");
            Assert.That(_registry.PoolSize("llama3"), Is.EqualTo(200));
        }

        _registry.Remove(nodes[0]);
        Assert.That(_registry.PoolSize("llama3"), Is.EqualTo(199));
        Assert.That(_registry.Candidates("llama3", 500, random), Does.Not.Contain(nodes[0]));
    }

    [Test]
    public void Model_list_counts_online_nodes_per_model_in_name_order_and_flags_simulated()
    {
        Connect(new ModelOffer("mistral"), new ModelOffer("llama3"));
        Connect(new ModelOffer("llama3"), new ModelOffer("sim-small", Simulated: true));
        Connect(new ModelOffer("sim-small", Simulated: false));
        Connect(new ModelOffer("gone-model")).GoOffline("link lost");

        Assert.That(_registry.ListModels(), Is.EqualTo(new[]
        {
            new ModelListing("llama3", Simulated: false, Nodes: 2),
            new ModelListing("mistral", Simulated: false, Nodes: 1),
            new ModelListing("sim-small", Simulated: true, Nodes: 2),
        }));
    }

    [Test]
    public void Reconnecting_node_replaces_its_old_link_and_the_old_link_cannot_remove_the_new_one()
    {
        var old = Connect(new ModelOffer("llama3"));
        var again = new NodeGrain(old.Address, TestNodes.Hello(old.Address, 1, [new ModelOffer("llama3")]), new FakeNodeConnection(), _clock, TestNodes.Trust(old.Address.Value, 50));

        var replaced = _registry.Add(again);
        var removedByOld = _registry.Remove(old);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(replaced, Is.SameAs(old));
            Assert.That(removedByOld, Is.False);
            Assert.That(_registry.TryGet(old.Address, out var current), Is.True);
            Assert.That(current, Is.SameAs(again));
            Assert.That(_registry.Count, Is.EqualTo(1));
        }
    }
}
