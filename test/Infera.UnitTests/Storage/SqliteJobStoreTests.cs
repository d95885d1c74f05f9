using Infera.Tests.Shared;
using Infera.Jobs;
using Infera.Storage.Sqlite;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Storage;

public sealed class SqliteJobStoreTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_763_800_000_123);

    private static AssignmentView Assignment(string id, string node, string role = AssignmentRoles.Replica, string status = AssignmentStatuses.Completed, string? replaces = null) =>
        status == AssignmentStatuses.Running
            ? new(id, node, role, status, replaces, "Par", null, null, null, null, Created, 250.5, null)
            : new(id, node, role, status, replaces, "Paris.", "stop", null, 12, 3, Created, 250.5, 1_234.25);

    private static VerificationView Verified(params AssignmentView[] agreeing) => new(
        VerificationStatuses.Verified,
        "lexical-cosine",
        0.8,
        [.. agreeing.Select(a => new VerdictView(a.Node, a.Id, Verdicts.Agree, 0.9876))],
        [new SimilarityView(agreeing[0].Id, agreeing[1].Id, 0.9876)],
        agreeing[0].Id,
        agreeing[0].Node,
        true,
        "2 of 2 outputs agree.");

    private static JobView Running(string id, params AssignmentView[] assignments) => new(
        id, JobView.ObjectName, JobStatuses.Running, "llama3", true, Created, null, null, null, null, 3, assignments, null);

    private static JobView Completed(string id, params AssignmentView[] assignments) => Running(id, assignments) with
    {
        Status = JobStatuses.Completed,
        CompletedAt = Created.AddSeconds(2),
        FinishReason = "stop",
        Usage = new UsageView(12, 3, 15),
        Verification = Verified(assignments[0], assignments[1]),
    };

    [Test]
    public async Task Saved_job_reads_back_with_its_assignments_and_verification()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        var store = new SqliteJobStore(temp.Database);
        var job = Completed(
            "job-1",
            Assignment("job-1.1", "0xA", AssignmentRoles.Primary),
            Assignment("job-1.3", "0xC", replaces: "job-1.2"),
            new AssignmentView("job-1.2", "0xB", AssignmentRoles.Replica, AssignmentStatuses.Failed, null, string.Empty, null, "link lost", null, null, Created, null, 80));

        await store.SaveAsync("tenant-a", job, CancellationToken.None);
        var found = await store.FindAsync("job-1", CancellationToken.None);

        Assert.That(found, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found!.Value.Tenant, Is.EqualTo("tenant-a"));
            Assert.That(found.Value.Job, Is.EqualTo(job).UsingPropertiesComparer());
            Assert.That(found.Value.Job.Assignments.Select(a => a.Id), Is.EqualTo(new[] { "job-1.1", "job-1.3", "job-1.2" }), "assignments keep their order");
        }
    }

    [Test]
    public async Task Failed_job_reads_back_with_its_error_and_no_usage()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        var store = new SqliteJobStore(temp.Database);
        var job = Running("job-2") with { Status = JobStatuses.Failed, CompletedAt = Created, Error = new JobErrorView("model_not_found", "No node serves 'x'.") };

        await store.SaveAsync("tenant-a", job, CancellationToken.None);

        Assert.That((await store.FindAsync("job-2", CancellationToken.None))?.Job, Is.EqualTo(job).UsingPropertiesComparer());
    }

    [Test]
    public async Task Saving_again_replaces_the_assignments_and_verdicts()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        var store = new SqliteJobStore(temp.Database);
        await store.SaveAsync("tenant-a", Running(
            "job-3",
            Assignment("job-3.1", "0xA", AssignmentRoles.Primary, AssignmentStatuses.Running),
            Assignment("job-3.2", "0xB", status: AssignmentStatuses.Running),
            Assignment("job-3.3", "0xC", status: AssignmentStatuses.Running)), CancellationToken.None);
        var completed = Completed(
            "job-3",
            Assignment("job-3.1", "0xA", AssignmentRoles.Primary),
            Assignment("job-3.2", "0xB"));

        await store.SaveAsync("tenant-a", completed, CancellationToken.None);
        var found = await store.FindAsync("job-3", CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(found?.Job, Is.EqualTo(completed).UsingPropertiesComparer());
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM assignments WHERE job_id = 'job-3'"), Is.EqualTo(2));
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM verdicts WHERE job_id = 'job-3'"), Is.EqualTo(2));
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM jobs"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Unknown_job_is_not_found()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();

        Assert.That(await new SqliteJobStore(temp.Database).FindAsync("job-nope", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Abandoned_running_jobs_are_failed_with_the_reason_and_finished_jobs_are_left_alone()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        var store = new SqliteJobStore(temp.Database);
        var finished = Completed("job-done", Assignment("job-done.1", "0xA", AssignmentRoles.Primary), Assignment("job-done.2", "0xB"));
        await store.SaveAsync("tenant-a", finished, CancellationToken.None);
        await store.SaveAsync("tenant-a", Running(
            "job-left-1",
            Assignment("job-left-1.1", "0xA", AssignmentRoles.Primary, AssignmentStatuses.Running),
            Assignment("job-left-1.2", "0xB")), CancellationToken.None);
        await store.SaveAsync("tenant-b", Running("job-left-2", Assignment("job-left-2.1", "0xC", AssignmentRoles.Primary, AssignmentStatuses.Running)), CancellationToken.None);
        var now = Created.AddMinutes(5);

        var count = await store.FailAbandonedAsync("the silo restarted", now, CancellationToken.None);
        var left = (await store.FindAsync("job-left-1", CancellationToken.None))!.Value.Job;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(2));
            Assert.That(left.Status, Is.EqualTo(JobStatuses.Failed));
            Assert.That(left.CompletedAt, Is.EqualTo(now));
            Assert.That(left.Error, Is.EqualTo(new JobErrorView("internal_error", "the silo restarted")));
            Assert.That(left.Assignments[0].Status, Is.EqualTo(AssignmentStatuses.Failed));
            Assert.That(left.Assignments[0].Error, Is.EqualTo("the silo restarted"));
            Assert.That(left.Assignments[1].Status, Is.EqualTo(AssignmentStatuses.Completed), "a finished assignment keeps its outcome");
            Assert.That((await store.FindAsync("job-left-2", CancellationToken.None))?.Job.Status, Is.EqualTo(JobStatuses.Failed));
            Assert.That((await store.FindAsync("job-done", CancellationToken.None))?.Job, Is.EqualTo(finished).UsingPropertiesComparer());
            Assert.That(await store.FailAbandonedAsync("again", now, CancellationToken.None), Is.Zero);
        }
    }
}
