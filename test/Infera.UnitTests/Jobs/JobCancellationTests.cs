using Infera.Jobs;
using Infera.NodeLink;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Jobs;

public sealed class JobCancellationTests
{
    private readonly JobHarness _harness = new();

    [Test]
    public async Task Client_going_away_cancels_every_assignment_and_records_the_job_cancelled()
    {
        var nodes = new[] { _harness.AddNode(reputation: 90), _harness.AddNode(reputation: 60), _harness.AddNode(reputation: 30) };
        using var client = new CancellationTokenSource();
        var job = _harness.Start(cancellationToken: client.Token);
        var dispatches = await Task.WhenAll(nodes.Select(n => n.DispatchedAsync()));
        nodes[0].Token(dispatches[0], "Paris ");
        await job.Events.NextAsync("the first delta");

        await client.CancelAsync();

        var cancels = await Task.WhenAll(nodes.Select(n => n.Link.WaitForAsync<Cancel>()));
        var rest = await JobHarness.RestOfStreamAsync(job);
        var stored = await _harness.StoredAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(cancels.Select(c => c.AssignmentId), Is.EqualTo(dispatches.Select(d => d.AssignmentId)));
            Assert.That(rest, Is.Empty, "a client that left is sent nothing more");
            Assert.That(stored.Status, Is.EqualTo(JobStatuses.Cancelled));
            Assert.That(stored.Assignments.Select(a => a.Status), Is.All.EqualTo(AssignmentStatuses.Cancelled));
            Assert.That(nodes.Select(n => n.Grain.ActiveAssignments), Is.All.Zero, "cancelled assignments free their slots");
            Assert.That(_harness.ReputationStore.Ledger, Is.Empty, "nobody is judged on a job its client abandoned");
        }
    }

    [Test]
    public async Task Reports_arriving_after_cancellation_are_ignored()
    {
        var node = _harness.AddNode();
        using var client = new CancellationTokenSource();
        var job = _harness.Start(cancellationToken: client.Token);
        var dispatch = await node.DispatchedAsync();

        await client.CancelAsync();
        await node.Link.WaitForAsync<Cancel>();
        node.Answer(dispatch, "too late");
        var rest = await JobHarness.RestOfStreamAsync(job);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rest, Is.Empty);
            Assert.That((await _harness.StoredAsync(job.JobId)).Assignments.Single().Output, Is.Empty);
        }
    }
}
