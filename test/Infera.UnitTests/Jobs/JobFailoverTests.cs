using Infera.Jobs;
using Infera.NodeLink;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Jobs;

public sealed class JobFailoverTests
{
    private const string Answer = "Paris is the capital of France, on the river Seine.";

    private readonly JobHarness _harness = new();

    [Test]
    public async Task Primary_node_lost_before_first_token_is_replaced_without_client_error()
    {
        var primary = _harness.AddNode(reputation: 100);
        var replicas = new[] { _harness.AddNode(reputation: 70), _harness.AddNode(reputation: 40) };
        var job = _harness.Start();
        var lost = await primary.DispatchedAsync();
        await Task.WhenAll(replicas.Select(r => r.DispatchedAsync()));
        var spare = _harness.AddNode(reputation: 10); // joins once the job has its three nodes
        Assert.That(spare.Link.HasSent<Dispatch>(), Is.False, "the spare is not needed until a node is lost");

        primary.Grain.GoOffline("link lost");
        var replacement = await spare.DispatchedAsync();
        foreach (var node in replicas)
        {
            node.Answer(await node.DispatchedAsync(), Answer);
        }

        spare.Answer(replacement, Answer);
        var events = await JobHarness.RestOfStreamAsync(job);
        var stored = await _harness.StoredAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JobHarness.Text(events), Is.EqualTo(Answer));
            Assert.That(events, Has.None.TypeOf<JobFailed>());
            Assert.That(events[^1], Is.EqualTo(new JobCompleted("stop", 10, 5)));
            Assert.That(stored.Status, Is.EqualTo(JobStatuses.Completed));
            Assert.That(stored.Assignments, Has.Count.EqualTo(4));
            Assert.That(stored.Assignments.Single(a => a.Id == lost.AssignmentId).Status, Is.EqualTo(AssignmentStatuses.Failed));
            Assert.That(stored.Assignments.Single(a => a.Id == lost.AssignmentId).Error, Is.EqualTo("link lost"));
            Assert.That(stored.Assignments.Single(a => a.Id == replacement.AssignmentId).Replaces, Is.EqualTo(lost.AssignmentId));
            Assert.That(stored.Assignments.Single(a => a.Id == replacement.AssignmentId).Node, Is.EqualTo(spare.Address));
            Assert.That(stored.Verification?.ReturnedAssignment, Is.Not.EqualTo(lost.AssignmentId));
        }
    }

    [Test]
    public async Task Only_the_primary_sends_token_by_token_and_the_replica_that_takes_over_is_promoted()
    {
        var primary = _harness.AddNode(reputation: 90);
        var ahead = _harness.AddNode(reputation: 60);
        var behind = _harness.AddNode(reputation: 30);
        var job = _harness.Start();
        var primaryDispatch = await primary.DispatchedAsync();
        var aheadDispatch = await ahead.DispatchedAsync();
        var behindDispatch = await behind.DispatchedAsync();
        primary.Token(primaryDispatch, "Paris");
        await job.Events.NextAsync("the primary's first delta");
        ahead.Token(aheadDispatch, "Paris is");
        behind.Token(behindDispatch, "Paris");

        primary.Grain.GoOffline("link lost");
        var promote = await ahead.Link.WaitForAsync<Promote>();
        var continued = await job.Events.NextAsync("the delta continued from the replica that was ahead");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(primaryDispatch.FlushMs, Is.Zero, "the primary's tokens are read live");
            Assert.That(aheadDispatch.FlushMs, Is.EqualTo(250), "a replica's text may come in batches");
            Assert.That(behindDispatch.FlushMs, Is.EqualTo(250));
            Assert.That(promote.AssignmentId, Is.EqualTo(aheadDispatch.AssignmentId));
            Assert.That(behind.Link.HasSent<Promote>(), Is.False, "the replica left behind still batches");
            Assert.That(continued, Is.EqualTo(new TokenDelta(" is")));
        }
    }

    [Test]
    public async Task Primary_lost_mid_stream_continues_seamlessly_from_a_replica_with_the_same_text()
    {
        var primary = _harness.AddNode(reputation: 90);
        var replicas = new[] { _harness.AddNode(reputation: 60), _harness.AddNode(reputation: 30) };
        var job = _harness.Start();
        var dispatch = await primary.DispatchedAsync();
        var pieces = TestNodes.Pieces(Answer).ToList();
        var client = new List<JobEvent>();
        foreach (var piece in pieces.Take(3))
        {
            primary.Token(dispatch, piece);
            client.Add(await job.Events.NextAsync($"the primary's delta '{piece}'"));
        }

        foreach (var replica in replicas)
        {
            var replicaDispatch = await replica.DispatchedAsync();
            foreach (var piece in pieces.Take(6))
            {
                replica.Token(replicaDispatch, piece);
            }
        }

        primary.Grain.GoOffline("link lost");
        foreach (var replica in replicas)
        {
            var replicaDispatch = await replica.DispatchedAsync();
            foreach (var piece in pieces.Skip(6))
            {
                replica.Token(replicaDispatch, piece);
            }

            replica.Finish(replicaDispatch);
        }

        client.AddRange(await JobHarness.RestOfStreamAsync(job));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JobHarness.Text(client), Is.EqualTo(Answer));
            Assert.That(client, Has.None.TypeOf<JobFailed>());
            Assert.That(client[^1], Is.TypeOf<JobCompleted>());
            Assert.That(client.Take(3).Cast<TokenDelta>().Select(d => d.Text), Is.EqualTo(pieces.Take(3)));
        }
    }

    [Test]
    public async Task Primary_lost_mid_stream_with_diverging_replicas_fails_the_client_instead_of_hanging()
    {
        var primary = _harness.AddNode(reputation: 90);
        var replicas = new[] { _harness.AddNode(reputation: 60), _harness.AddNode(reputation: 30) };
        var job = _harness.Start();
        var dispatch = await primary.DispatchedAsync();
        primary.Token(dispatch, "The answer ");
        primary.Token(dispatch, "is 42");
        var first = await job.Events.NextAsync("the primary's first delta");
        var second = await job.Events.NextAsync("the primary's second delta");
        var replicaDispatches = await Task.WhenAll(replicas.Select(r => r.DispatchedAsync()));
        replicas[0].Token(replicaDispatches[0], "Completely different words");
        replicas[1].Token(replicaDispatches[1], "Another unrelated reply");

        primary.Grain.GoOffline("link lost");
        var failure = await job.Events.NextAsync("the client's failure once no replica continues the text");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JobHarness.Text([first, second]), Is.EqualTo("The answer is 42"));
            Assert.That(failure, Is.TypeOf<JobFailed>());
            Assert.That(((JobFailed)failure).Error.Code, Is.EqualTo(JobErrorCode.NodeFailure));
        }

        replicas[0].Finish(replicaDispatches[0]);
        replicas[1].Finish(replicaDispatches[1]);
        Assert.That(await JobHarness.RestOfStreamAsync(job), Is.Empty, "nothing follows the failure");
        Assert.That((await _harness.StoredAsync(job.JobId)).Status, Is.EqualTo(JobStatuses.Failed));
    }

    [Test]
    public async Task Replica_that_reports_failure_is_replaced_and_the_client_never_notices()
    {
        var primary = _harness.AddNode(reputation: 100);
        var replica = _harness.AddNode(reputation: 70);
        var failing = _harness.AddNode(reputation: 40);
        var job = _harness.Start();
        var failed = await failing.DispatchedAsync();
        var spare = _harness.AddNode(reputation: 10); // joins once the job has its three nodes

        failing.Grain.OnReport(new AssignmentFailed(failed.AssignmentId, "backend returned 500"));
        var replacement = await spare.DispatchedAsync();
        primary.Answer(await primary.DispatchedAsync(), Answer);
        replica.Answer(await replica.DispatchedAsync(), Answer);
        spare.Answer(replacement, Answer);
        var events = await JobHarness.RestOfStreamAsync(job);
        var stored = await _harness.StoredAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JobHarness.Text(events), Is.EqualTo(Answer));
            Assert.That(events[^1], Is.TypeOf<JobCompleted>());
            Assert.That(stored.Assignments.Single(a => a.Id == replacement.AssignmentId).Replaces, Is.EqualTo(failed.AssignmentId));
            Assert.That(stored.Verification?.Verdicts.Select(v => v.AssignmentId), Does.Not.Contain(failed.AssignmentId));
            Assert.That(failing.Grain.ActiveAssignments, Is.Zero, "the failed assignment's slot is freed");
        }
    }

    [Test]
    public async Task Every_node_lost_before_any_text_fails_the_client_with_node_failure()
    {
        var nodes = new[] { _harness.AddNode(reputation: 90), _harness.AddNode(reputation: 60), _harness.AddNode(reputation: 30) };
        var job = _harness.Start();
        await Task.WhenAll(nodes.Select(n => n.DispatchedAsync()));

        foreach (var node in nodes)
        {
            node.Grain.GoOffline("link lost");
        }

        var events = await JobHarness.RestOfStreamAsync(job);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Single(), Is.TypeOf<JobFailed>());
            Assert.That(((JobFailed)events.Single()).Error.Code, Is.EqualTo(JobErrorCode.NodeFailure));
            Assert.That((await _harness.StoredAsync(job.JobId)).Status, Is.EqualTo(JobStatuses.Failed));
        }
    }
}
