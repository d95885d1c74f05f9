using Infera.NodeLink;
using Infera.Nodes;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Scheduling;

public sealed class NodeGrainTests
{
    private readonly FakeTimeProvider _clock = new();

    [Test]
    public void Reservations_stop_at_max_concurrency_and_release_frees_a_slot()
    {
        var node = TestNodes.Create(_clock, maxConcurrency: 2).Grain;
        var sink = new NullAssignmentSink();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(node.TryReserve("llama3", "a1", sink), Is.True);
            Assert.That(node.TryReserve("llama3", "a2", sink), Is.True);
            Assert.That(node.TryReserve("llama3", "a3", sink), Is.False);
            Assert.That(node.ActiveAssignments, Is.EqualTo(2));
        }

        node.Release("a1");
        node.Release("a1"); // a second release of the same assignment frees nothing more

        using (Assert.EnterMultipleScope())
        {
            Assert.That(node.ActiveAssignments, Is.EqualTo(1));
            Assert.That(node.TryReserve("llama3", "a3", sink), Is.True);
        }
    }

    [Test]
    public void Node_refuses_models_it_does_not_serve_and_takes_no_work_while_draining()
    {
        var node = TestNodes.Create(_clock, maxConcurrency: 4).Grain;

        Assert.That(node.TryReserve("mistral", "a1", new NullAssignmentSink()), Is.False);
        node.Drain();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(node.TryReserve("llama3", "a2", new NullAssignmentSink()), Is.False);
            Assert.That(node.Status, Is.EqualTo(NodeStatus.Draining));
        }
    }

    [Test]
    public void Going_offline_fails_every_running_assignment_and_closes_the_link()
    {
        var (node, link) = TestNodes.Create(_clock, maxConcurrency: 2);
        var first = new RecordingSink();
        var second = new RecordingSink();
        node.TryReserve("llama3", "a1", first);
        node.TryReserve("llama3", "a2", second);

        node.GoOffline("heartbeat timeout");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Failures, Is.EqualTo(new[] { "heartbeat timeout" }));
            Assert.That(second.Failures, Is.EqualTo(new[] { "heartbeat timeout" }));
            Assert.That(link.AbortReason, Is.EqualTo("heartbeat timeout"));
            Assert.That(node.ActiveAssignments, Is.Zero);
            Assert.That(node.Status, Is.EqualTo(NodeStatus.Offline));
        }
    }

    [Test]
    public void Reports_reach_the_assignment_they_name_and_reports_after_release_are_dropped()
    {
        var node = TestNodes.Create(_clock, maxConcurrency: 2).Grain;
        var sink = new RecordingSink();
        node.TryReserve("llama3", "a1", sink);

        node.OnReport(new TokenChunk("a1", "Hel"));
        node.OnReport(new TokenChunk("other", "x"));
        node.OnReport(new AssignmentResult("a1", "stop", 3, 2));
        node.Release("a1");
        node.OnReport(new TokenChunk("a1", "late"));
        node.OnReport(new AssignmentFailed("a1", "late failure"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sink.Tokens, Is.EqualTo(new[] { "Hel" }));
            Assert.That(sink.Results, Has.Count.EqualTo(1));
            Assert.That(sink.Failures, Is.Empty);
        }
    }

    [Test]
    public void Heartbeats_keep_a_node_fresh_on_the_silos_clock()
    {
        var node = TestNodes.Create(_clock).Grain;
        var timeout = TimeSpan.FromSeconds(30);

        _clock.Advance(TimeSpan.FromSeconds(25));
        node.OnHeartbeat(new Heartbeat(0));
        _clock.Advance(TimeSpan.FromSeconds(25));

        Assert.That(node.IsStale(_clock.GetUtcNow(), timeout), Is.False);
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.That(node.IsStale(_clock.GetUtcNow(), timeout), Is.True);
    }

    [TestCase("203.0.113.77", "203.0.113.0/24")]
    [TestCase("::ffff:203.0.113.77", "203.0.113.0/24")]
    [TestCase("2001:db8:abcd:12::1", "20010db8abcd::/48")]
    [TestCase("not an ip", null)]
    [TestCase(null, null)]
    public void Subnet_is_the_slash_24_or_slash_48_the_node_dials_from(string? ip, string? subnet)
    {
        Assert.That(NodeGrain.SubnetOf(ip), Is.EqualTo(subnet));
    }

    private sealed class RecordingSink : IAssignmentSink
    {
        public List<string> Tokens { get; } = [];

        public List<AssignmentResult> Results { get; } = [];

        public List<string> Failures { get; } = [];

        public void OnToken(string text) => Tokens.Add(text);

        public void OnResult(AssignmentResult result) => Results.Add(result);

        public void OnFailed(string error) => Failures.Add(error);
    }
}
