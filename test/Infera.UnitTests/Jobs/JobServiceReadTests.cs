using Infera.Jobs;
using Infera.NodeLink;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Jobs;

public sealed class JobServiceReadTests
{
    private readonly JobHarness _harness = new();

    [Test]
    public async Task Running_job_reads_as_running_for_its_tenant_and_not_at_all_for_another()
    {
        var node = _harness.AddNode();
        var job = _harness.Start();
        var dispatch = await node.DispatchedAsync();

        var mine = await _harness.Service.GetAsync(job.JobId, JobHarness.Tenant, CancellationToken.None);
        var theirs = await _harness.Service.GetAsync(job.JobId, "tenant-b", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(mine?.Status, Is.EqualTo(JobStatuses.Running));
            Assert.That(mine?.Assignments.Single().Id, Is.EqualTo(dispatch.AssignmentId));
            Assert.That(theirs, Is.Null);
            Assert.That(_harness.Service.ActiveJobs, Is.EqualTo(1));
        }

        node.Answer(dispatch, "Paris.");
        await JobHarness.RestOfStreamAsync(job);
    }

    [Test]
    public async Task Finished_job_is_read_from_the_store_and_only_by_its_tenant()
    {
        var node = _harness.AddNode();
        var job = _harness.Start();
        node.Answer(await node.DispatchedAsync(), "Paris.");
        await JobHarness.RestOfStreamAsync(job);
        await _harness.Service.DrainAsync(CancellationToken.None).Within("every job to leave the service");

        var mine = await _harness.Service.GetAsync(job.JobId, JobHarness.Tenant, CancellationToken.None);
        var theirs = await _harness.Service.GetAsync(job.JobId, "tenant-b", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_harness.Service.ActiveJobs, Is.Zero);
            Assert.That(mine?.Status, Is.EqualTo(JobStatuses.Completed));
            Assert.That(mine?.Assignments.Single().Output, Is.EqualTo("Paris."));
            Assert.That(theirs, Is.Null);
        }
    }

    [Test]
    public async Task Unknown_job_reads_as_null()
    {
        Assert.That(await _harness.Service.GetAsync("job-nope", JobHarness.Tenant, CancellationToken.None), Is.Null);
    }

    [Test]
    public void Model_list_comes_from_the_live_nodes()
    {
        _harness.AddNode();
        _harness.AddNode();

        Assert.That(_harness.Service.ListModels(), Is.EqualTo(new[] { new ModelListing(JobHarness.Model, false, 2) }));
    }
}
