using Infera.IntegrationTests.Support;
using Infera.Jobs;
using Infera.Storage.Postgres;
using Npgsql;

namespace Infera.IntegrationTests.Storage;

/// <summary>The cluster's rescuer: a running job is abandoned only when the process that saved it is gone.</summary>
public sealed class PostgresAbandonedJobTests
{
    private const string Reason = "The silo running this job stopped before it finished.";

    /// <summary>Later than every save in a test by more than the grace, so only liveness decides.</summary>
    private static readonly DateTimeOffset Later = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds());

    private static JobView Running(string id) => new(
        id, JobView.ObjectName, JobStatuses.Running, "llama3", true, DateTimeOffset.UnixEpoch.AddYears(56), null, null, null, null, 1,
        [new AssignmentView(id + ".1", "0xA", AssignmentRoles.Primary, AssignmentStatuses.Running, null, "Par", null, null, null, null, DateTimeOffset.UnixEpoch.AddYears(56), null, null)],
        null);

    private static Task HeartbeatAsync(TempPostgresDatabase temp, string silo, DateTimeOffset at) => temp.ExecuteAsync(
        "INSERT INTO silos (id, queue, started_at, heartbeat_at) VALUES (@id, @queue, @at, @at)",
        ("id", silo), ("queue", "infera.silo." + silo), ("at", at));

    [Test]
    public async Task Job_whose_owner_has_no_live_silo_is_failed_and_one_whose_owner_heartbeats_is_left()
    {
        await using var temp = await TempPostgresDatabase.MigratedAsync();
        var gone = new PostgresJobStore(temp.Open("silo-gone"));
        var stale = new PostgresJobStore(temp.Open("silo-stale"));
        var alive = new PostgresJobStore(temp.Open("silo-alive"));
        await gone.SaveAsync("t", Running("job-gone"), CancellationToken.None);
        await stale.SaveAsync("t", Running("job-stale"), CancellationToken.None);
        await alive.SaveAsync("t", Running("job-alive"), CancellationToken.None);
        await alive.SaveAsync("t", Running("job-done") with { Status = JobStatuses.Completed, CompletedAt = Later }, CancellationToken.None);
        await HeartbeatAsync(temp, "silo-alive", Later.AddSeconds(-2));
        await HeartbeatAsync(temp, "silo-stale", Later.AddSeconds(-11));

        var count = await alive.FailAbandonedAsync(Reason, Later, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(2));
            Assert.That(await StatusAsync(alive, "job-gone"), Is.EqualTo((JobStatuses.Failed, AssignmentStatuses.Failed)));
            Assert.That(await StatusAsync(alive, "job-stale"), Is.EqualTo((JobStatuses.Failed, AssignmentStatuses.Failed)), "a heartbeat older than the lease is a silo gone");
            Assert.That(await StatusAsync(alive, "job-alive"), Is.EqualTo((JobStatuses.Running, AssignmentStatuses.Running)));
            Assert.That((await alive.FindAsync("job-done", CancellationToken.None))!.Value.Job.Status, Is.EqualTo(JobStatuses.Completed));
            Assert.That((await alive.FindAsync("job-gone", CancellationToken.None))!.Value.Job.Error, Is.EqualTo(new JobErrorView("internal_error", Reason)));
        }
    }

    [Test]
    public async Task Job_saved_moments_ago_is_not_abandoned_even_before_its_silo_heartbeats()
    {
        await using var temp = await TempPostgresDatabase.MigratedAsync();
        var store = new PostgresJobStore(temp.Open("silo-new"));
        await store.SaveAsync("t", Running("job-new"), CancellationToken.None);

        var count = await store.FailAbandonedAsync(Reason, DateTimeOffset.UtcNow, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.Zero);
            Assert.That(await StatusAsync(store, "job-new"), Is.EqualTo((JobStatuses.Running, AssignmentStatuses.Running)));
        }
    }

    [Test]
    public async Task Save_records_this_process_as_the_owner()
    {
        await using var temp = await TempPostgresDatabase.MigratedAsync();
        await new PostgresJobStore(temp.Open("silo-a")).SaveAsync("t", Running("job-1"), CancellationToken.None);
        await new PostgresJobStore(temp.Open("silo-b")).SaveAsync("t", Running("job-1"), CancellationToken.None);

        Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM jobs WHERE owner = 'silo-b' AND updated_at > now() - interval '1 minute'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Silos_rescuing_at_once_fail_each_abandoned_job_once_in_total()
    {
        const int jobs = 2_000;
        await using var temp = await TempPostgresDatabase.MigratedAsync();
        await SeedAbandonedAsync(temp, jobs);
        var rescuers = Enumerable.Range(0, 4).Select(i => new PostgresJobStore(temp.Open($"silo-{i}"))).ToList();
        foreach (var rescuer in rescuers)
        {
            // Opens each pool's connection first, so the four calls below race on the rows, not on connecting.
            Assert.That(await rescuer.FailAbandonedAsync(Reason, DateTimeOffset.UnixEpoch, CancellationToken.None), Is.Zero);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rescuing = rescuers.Select(async r =>
        {
            await start.Task;
            return await r.FailAbandonedAsync(Reason, Later, CancellationToken.None);
        }).ToList();
        start.SetResult();
        var counts = await Task.WhenAll(rescuing).WaitAsync(TimeSpan.FromSeconds(30));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(counts.Sum(), Is.EqualTo(jobs), $"counts per rescuer: {string.Join(", ", counts)}");
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM jobs WHERE status = 'failed'"), Is.EqualTo(jobs));
            Assert.That(await rescuers[0].FailAbandonedAsync(Reason, Later, CancellationToken.None), Is.Zero);
        }
    }

    [Test]
    public async Task Rescuer_skips_jobs_another_rescuer_holds_instead_of_waiting_for_them()
    {
        await using var temp = await TempPostgresDatabase.MigratedAsync();
        await SeedAbandonedAsync(temp, 10);
        var store = new PostgresJobStore(temp.Open("silo-1"));
        // Another rescuer in the middle of its transaction, holding half the jobs.
        await using var other = new NpgsqlConnection(temp.ConnectionString);
        await other.OpenAsync();
        await using var holding = await other.BeginTransactionAsync();
        await using (var claim = new NpgsqlCommand("SELECT id FROM jobs WHERE id IN ('job-0', 'job-1', 'job-2', 'job-3', 'job-4') FOR UPDATE", other, holding))
        {
            await claim.ExecuteNonQueryAsync();
        }

        var count = await store.FailAbandonedAsync(Reason, Later, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(4));
        await holding.RollbackAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(5), "the five jobs not held");
            Assert.That(await store.FailAbandonedAsync(Reason, Later, CancellationToken.None), Is.EqualTo(5), "the held ones, once released");
        }
    }

    /// <summary>Running jobs, each with a running assignment, saved a minute ago by a silo that never heartbeat.</summary>
    private static Task SeedAbandonedAsync(TempPostgresDatabase temp, int jobs) => temp.ExecuteAsync("""
        INSERT INTO jobs (id, tenant, model, status, stream, redundancy, created_at, owner, updated_at)
        SELECT 'job-' || i, 't', 'llama3', 'running', true, 1, now(), 'silo-gone', now() - interval '1 minute'
        FROM generate_series(0, @n - 1) i;
        INSERT INTO assignments (id, job_id, seq, node_address, role, status, output, dispatched_at)
        SELECT 'job-' || i || '.1', 'job-' || i, 0, '0xA', 'primary', 'running', '', now()
        FROM generate_series(0, @n - 1) i;
        """, ("n", jobs));

    private static async Task<(string Job, string Assignment)> StatusAsync(PostgresJobStore store, string id)
    {
        var job = (await store.FindAsync(id, CancellationToken.None))!.Value.Job;
        return (job.Status, job.Assignments[0].Status);
    }
}
