using Infera.Jobs;
using Infera.NodeLink;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Jobs;

public sealed class JobDeadlineTests
{
    private const string Answer = "Paris is the capital of France, on the river Seine.";

    private readonly JobHarness _harness = new();

    [Test]
    public async Task Node_silent_past_the_first_token_timeout_is_cancelled_and_replaced()
    {
        var primary = _harness.AddNode(reputation: 100);
        var replica = _harness.AddNode(reputation: 70);
        var slow = _harness.AddNode(reputation: 40);
        var job = _harness.Start();
        var primaryDispatch = await primary.DispatchedAsync();
        var replicaDispatch = await replica.DispatchedAsync();
        var slowDispatch = await slow.DispatchedAsync();
        var spare = _harness.AddNode(reputation: 10); // joins once the job has its three nodes
        primary.Token(primaryDispatch, "Paris ");
        replica.Token(replicaDispatch, "Paris ");
        await _harness.InspectAsync(job.JobId); // both first tokens are handled and the deadline is re-armed

        _harness.Clock.Advance(_harness.Options.FirstTokenTimeout - TimeSpan.FromSeconds(1));
        Assert.That(slow.Link.HasSent<Cancel>(), Is.False, "the slow node still has a second");
        _harness.Clock.Advance(TimeSpan.FromSeconds(2));

        var cancel = await slow.Link.WaitForAsync<Cancel>();
        var replacement = await spare.DispatchedAsync();
        var view = await _harness.InspectAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cancel.AssignmentId, Is.EqualTo(slowDispatch.AssignmentId));
            Assert.That(replacement.JobId, Is.EqualTo(job.JobId));
            Assert.That(primary.Link.HasSent<Cancel>() || replica.Link.HasSent<Cancel>(), Is.False, "nodes that sent a token keep running");
            var timedOut = view!.Assignments.Single(a => a.Id == slowDispatch.AssignmentId);
            Assert.That(timedOut.Status, Is.EqualTo(AssignmentStatuses.Failed));
            Assert.That(timedOut.Error, Is.EqualTo("no first token before the deadline"));
            Assert.That(view.Assignments.Single(a => a.Id == replacement.AssignmentId).Replaces, Is.EqualTo(slowDispatch.AssignmentId));
            Assert.That(slow.Grain.ActiveAssignments, Is.Zero, "the slow node's slot is given back");
        }

        primary.Answer(primaryDispatch, Answer[6..]);
        replica.Answer(replicaDispatch, Answer[6..]);
        spare.Answer(replacement, Answer);
        var events = await JobHarness.RestOfStreamAsync(job);
        Assert.That(events[^1], Is.TypeOf<JobCompleted>());
    }

    [Test]
    public async Task Streaming_node_that_stalls_past_the_assignment_timeout_hands_over_to_a_finished_replica()
    {
        var primary = _harness.AddNode(reputation: 90);
        var replicas = new[] { _harness.AddNode(reputation: 60), _harness.AddNode(reputation: 30) };
        var job = _harness.Start();
        var dispatch = await primary.DispatchedAsync();
        primary.Token(dispatch, "Paris ");
        var first = await job.Events.NextAsync("the primary's first delta");
        foreach (var replica in replicas)
        {
            replica.Answer(await replica.DispatchedAsync(), Answer);
        }

        await _harness.InspectAsync(job.JobId);
        _harness.Clock.Advance(_harness.Options.AssignmentTimeout + TimeSpan.FromSeconds(1));

        var cancel = await primary.Link.WaitForAsync<Cancel>();
        var rest = await JobHarness.RestOfStreamAsync(job);
        var stored = await _harness.StoredAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cancel.AssignmentId, Is.EqualTo(dispatch.AssignmentId));
            Assert.That(JobHarness.Text([first, .. rest]), Is.EqualTo(Answer));
            Assert.That(rest[^1], Is.TypeOf<JobCompleted>());
            Assert.That(stored.Assignments.Single(a => a.Id == dispatch.AssignmentId).Error, Is.EqualTo("did not finish before the deadline"));
        }
    }
}
