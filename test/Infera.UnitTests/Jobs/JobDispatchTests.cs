using Infera.Jobs;
using Infera.NodeLink;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Jobs;

public sealed class JobDispatchTests
{
    private const string Answer = "Paris is the capital of France, on the river Seine.";

    private readonly JobHarness _harness = new();

    [Test]
    public async Task Job_goes_to_k_distinct_nodes_and_the_best_one_is_primary()
    {
        var best = _harness.AddNode(reputation: 90);
        var second = _harness.AddNode(reputation: 60);
        var third = _harness.AddNode(reputation: 30);

        var job = _harness.Start();
        var dispatches = await Task.WhenAll(best.DispatchedAsync(), second.DispatchedAsync(), third.DispatchedAsync());
        var view = await _harness.InspectAsync(job.JobId);

        Assert.That(view, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(view!.Status, Is.EqualTo(JobStatuses.Running));
            Assert.That(view.Redundancy, Is.EqualTo(3));
            Assert.That(view.Assignments.Select(a => a.Node), Is.EquivalentTo(new[] { best.Address, second.Address, third.Address }));
            Assert.That(view.Assignments.Single(a => a.Role == AssignmentRoles.Primary).Node, Is.EqualTo(best.Address));
            Assert.That(view.Assignments.Select(a => a.Id), Is.EquivalentTo(dispatches.Select(d => d.AssignmentId)));
            Assert.That(dispatches.Select(d => d.JobId), Is.All.EqualTo(job.JobId));
            Assert.That(dispatches.Select(d => d.Model), Is.All.EqualTo(JobHarness.Model));
            Assert.That(dispatches.Select(d => d.Sampling.Seed), Is.All.EqualTo(42), "replicas must sample alike to be comparable");
            Assert.That(dispatches.Select(d => d.Messages.Single().Content), Is.All.EqualTo("What is the capital of France?"));
        }
    }

    [Test]
    public async Task Client_gets_the_primarys_tokens_in_order_then_its_usage()
    {
        var primary = _harness.AddNode(reputation: 90);
        var replicas = new[] { _harness.AddNode(reputation: 60), _harness.AddNode(reputation: 30) };
        var job = _harness.Start();
        var dispatch = await primary.DispatchedAsync();

        var deltas = new List<string>();
        foreach (var piece in TestNodes.Pieces(Answer))
        {
            primary.Token(dispatch, piece);
            deltas.Add(((TokenDelta)await job.Events.NextAsync($"the delta '{piece}'")).Text);
        }

        primary.Finish(dispatch, promptTokens: 12, completionTokens: 11);
        var completed = await job.Events.NextAsync("the completion after the primary's result");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(deltas, Is.EqualTo(TestNodes.Pieces(Answer)));
            Assert.That(completed, Is.EqualTo(new JobCompleted("stop", 12, 11)));
        }

        foreach (var replica in replicas)
        {
            replica.Answer(await replica.DispatchedAsync(), Answer);
        }

        Assert.That(await JobHarness.RestOfStreamAsync(job), Is.Empty, "nothing follows the completion");
    }

    [Test]
    public async Task Settled_job_is_stored_with_every_assignment_and_a_verified_verdict()
    {
        var primary = _harness.AddNode(reputation: 90);
        var replicas = new[] { _harness.AddNode(reputation: 60), _harness.AddNode(reputation: 30) };
        var job = _harness.Start();
        var primaryDispatch = await primary.DispatchedAsync();

        primary.Answer(primaryDispatch, Answer, promptTokens: 12, completionTokens: 11);
        foreach (var replica in replicas)
        {
            replica.Answer(await replica.DispatchedAsync(), Answer);
        }

        await JobHarness.RestOfStreamAsync(job);
        var stored = await _harness.StoredAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored.Status, Is.EqualTo(JobStatuses.Completed));
            Assert.That(stored.CompletedAt, Is.EqualTo(_harness.Clock.GetUtcNow()));
            Assert.That(stored.Usage, Is.EqualTo(new UsageView(12, 11, 23)));
            Assert.That(stored.FinishReason, Is.EqualTo("stop"));
            Assert.That(stored.Error, Is.Null);
            Assert.That(stored.Assignments, Has.Count.EqualTo(3));
            Assert.That(stored.Assignments.Select(a => a.Status), Is.All.EqualTo(AssignmentStatuses.Completed));
            Assert.That(stored.Assignments.Select(a => a.Output), Is.All.EqualTo(Answer));
            Assert.That(stored.Verification, Is.Not.Null);
            Assert.That(stored.Verification!.Status, Is.EqualTo(VerificationStatuses.Verified));
            Assert.That(stored.Verification.Verdicts.Select(v => v.Verdict), Is.EqualTo(new[] { Verdicts.Agree, Verdicts.Agree, Verdicts.Agree }));
            Assert.That(stored.Verification.Similarities, Has.Count.EqualTo(3));
            Assert.That(stored.Verification.ReturnedAssignment, Is.EqualTo(primaryDispatch.AssignmentId));
            Assert.That(stored.Verification.ReturnedNode, Is.EqualTo(primary.Address));
            Assert.That(stored.Verification.ReturnedOutputAgreed, Is.True);
        }
    }

    [Test]
    public async Task Model_nobody_serves_fails_at_once_with_model_not_found()
    {
        var node = _harness.AddNode();

        var job = _harness.Start(model: "gpt-9");
        var events = await JobHarness.RestOfStreamAsync(job);
        var stored = await _harness.StoredAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events, Has.Count.EqualTo(1));
            Assert.That(events[0], Is.TypeOf<JobFailed>().With.Property(nameof(JobFailed.Error)).Property(nameof(JobError.Code)).EqualTo(JobErrorCode.ModelNotFound));
            Assert.That(node.Link.HasSent<Dispatch>(), Is.False);
            Assert.That(stored.Status, Is.EqualTo(JobStatuses.Failed), "a refused job must not read as running");
            Assert.That(stored.Error?.Code, Is.EqualTo("model_not_found"));
            Assert.That(stored.Assignments, Is.Empty);
        }
    }

    [Test]
    public async Task Job_when_every_serving_node_is_full_fails_with_no_capacity()
    {
        var nodes = new[] { _harness.AddNode(maxConcurrency: 1), _harness.AddNode(maxConcurrency: 2) };
        Assert.That(nodes[0].Grain.TryReserve(JobHarness.Model, "other-job.1", new NullAssignmentSink()), Is.True);
        Assert.That(nodes[1].Grain.TryReserve(JobHarness.Model, "other-job.2", new NullAssignmentSink()), Is.True);
        Assert.That(nodes[1].Grain.TryReserve(JobHarness.Model, "other-job.3", new NullAssignmentSink()), Is.True);

        var job = _harness.Start();
        var events = await JobHarness.RestOfStreamAsync(job);
        var stored = await _harness.StoredAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Single(), Is.TypeOf<JobFailed>().With.Property(nameof(JobFailed.Error)).Property(nameof(JobError.Code)).EqualTo(JobErrorCode.NoCapacity));
            Assert.That(nodes.Select(n => n.Link.HasSent<Dispatch>()), Is.All.False);
            Assert.That(stored.Status, Is.EqualTo(JobStatuses.Failed));
            Assert.That(stored.Error?.Code, Is.EqualTo("no_capacity"));
        }
    }

    [Test]
    public async Task Network_smaller_than_k_runs_the_job_on_every_node_it_has()
    {
        var only = new[] { _harness.AddNode(reputation: 90), _harness.AddNode(reputation: 30) };
        var job = _harness.Start();

        foreach (var node in only)
        {
            node.Answer(await node.DispatchedAsync(), Answer);
        }

        var events = await JobHarness.RestOfStreamAsync(job);
        var stored = await _harness.StoredAsync(job.JobId);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(JobHarness.Text(events), Is.EqualTo(Answer));
            Assert.That(events[^1], Is.TypeOf<JobCompleted>());
            Assert.That(stored.Assignments, Has.Count.EqualTo(2));
            Assert.That(stored.Verification?.Status, Is.EqualTo(VerificationStatuses.Verified));
        }
    }
}
