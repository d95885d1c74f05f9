using System.Text.Json;
using Infera.Jobs;
using Npgsql;
using static Infera.Storage.Postgres.PostgresCommands;

namespace Infera.Storage.Postgres;

/// <summary>Jobs, assignments and verdicts in PostgreSQL; each save records this process as the job's owner.</summary>
public sealed class PostgresJobStore(PostgresDatabase database) : IJobStore
{
    /// <summary>
    /// A running job saved this recently is never abandoned, even without a live silo row: its owner may have saved it
    /// before its first heartbeat, and a job's saves come seconds apart while it runs.
    /// </summary>
    public static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(10);

    public async Task SaveAsync(string tenant, JobView job, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(BatchCommand("""
            INSERT INTO jobs (id, tenant, model, status, stream, redundancy, created_at, completed_at, finish_reason,
                              prompt_tokens, completion_tokens, error_code, error_message, verification_json, owner, updated_at)
            VALUES (@id, @tenant, @model, @status, @stream, @redundancy, @created, @completed, @finish,
                    @prompt, @completion, @error_code, @error_message, @verification, @owner, now())
            ON CONFLICT (id) DO UPDATE SET
                status = excluded.status, completed_at = excluded.completed_at, finish_reason = excluded.finish_reason,
                prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
                error_code = excluded.error_code, error_message = excluded.error_message,
                verification_json = excluded.verification_json, owner = excluded.owner, updated_at = excluded.updated_at
            """,
            Parameter("id", job.Id),
            Parameter("tenant", tenant),
            Parameter("model", job.Model),
            Parameter("status", job.Status),
            Parameter("stream", job.Stream),
            Parameter("redundancy", job.Redundancy),
            Time("created", job.CreatedAt),
            Time("completed", job.CompletedAt),
            Parameter("finish", job.FinishReason),
            Parameter("prompt", job.Usage?.PromptTokens),
            Parameter("completion", job.Usage?.CompletionTokens),
            Parameter("error_code", job.Error?.Code),
            Parameter("error_message", job.Error?.Message),
            Json("verification", job.Verification is null ? null : JsonSerializer.Serialize(job.Verification, PostgresJsonContext.Default.VerificationView)),
            Parameter("owner", database.Options.ProcessId)));
        batch.BatchCommands.Add(BatchCommand("DELETE FROM assignments WHERE job_id = @id", Parameter("id", job.Id)));
        batch.BatchCommands.Add(BatchCommand("DELETE FROM verdicts WHERE job_id = @id", Parameter("id", job.Id)));

        var seq = 0;
        foreach (var a in job.Assignments)
        {
            batch.BatchCommands.Add(BatchCommand("""
                INSERT INTO assignments (id, job_id, seq, node_address, role, status, replaces, output, finish_reason, error,
                                         prompt_tokens, completion_tokens, dispatched_at, ttft_ms, total_ms)
                VALUES (@id, @job, @seq, @node, @role, @status, @replaces, @output, @finish, @error,
                        @prompt, @completion, @dispatched, @ttft, @total)
                """,
                Parameter("id", a.Id),
                Parameter("job", job.Id),
                Parameter("seq", seq++),
                Parameter("node", a.Node),
                Parameter("role", a.Role),
                Parameter("status", a.Status),
                Parameter("replaces", a.Replaces),
                Parameter("output", a.Output),
                Parameter("finish", a.FinishReason),
                Parameter("error", a.Error),
                Parameter("prompt", a.PromptTokens),
                Parameter("completion", a.CompletionTokens),
                Time("dispatched", a.DispatchedAt),
                Parameter("ttft", a.TimeToFirstTokenMs),
                Parameter("total", a.TotalMs)));
        }

        foreach (var v in job.Verification?.Verdicts ?? [])
        {
            batch.BatchCommands.Add(BatchCommand("""
                INSERT INTO verdicts (job_id, assignment_id, node_address, verdict, score, reason)
                VALUES (@job, @assignment, @node, @verdict, @score, @reason)
                """,
                Parameter("job", job.Id),
                Parameter("assignment", v.AssignmentId),
                Parameter("node", v.Node),
                Parameter("verdict", v.Verdict),
                Parameter("score", v.Score),
                Parameter("reason", v.Reason)));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<(string Tenant, JobView Job)?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(BatchCommand("""
            SELECT tenant, model, status, stream, redundancy, created_at, completed_at, finish_reason, prompt_tokens,
                   completion_tokens, error_code, error_message, verification_json::text
            FROM jobs WHERE id = @id
            """, Parameter("id", jobId)));
        batch.BatchCommands.Add(BatchCommand("""
            SELECT id, node_address, role, status, replaces, output, finish_reason, error, prompt_tokens, completion_tokens,
                   dispatched_at, ttft_ms, total_ms
            FROM assignments WHERE job_id = @id ORDER BY seq
            """, Parameter("id", jobId)));
        await using var row = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
        {
            return null;
        }

        var tenant = row.GetString(0);
        var prompt = row.GetInt32OrNull(8);
        var completion = row.GetInt32OrNull(9);
        var verification = row.GetStringOrNull(12);
        var errorCode = row.GetStringOrNull(10);
        var job = new JobView(
            jobId,
            JobView.ObjectName,
            row.GetString(2),
            row.GetString(1),
            row.GetBoolean(3),
            row.GetTime(5),
            row.GetTimeOrNull(6),
            row.GetStringOrNull(7),
            prompt is { } p && completion is { } c ? new UsageView(p, c, p + c) : null,
            errorCode is null ? null : new JobErrorView(errorCode, row.GetStringOrNull(11) ?? string.Empty),
            row.GetInt32(4),
            [],
            verification is null ? null : JsonSerializer.Deserialize(verification, PostgresJsonContext.Default.VerificationView));

        await row.NextResultAsync(cancellationToken);
        var assignments = new List<AssignmentView>();
        while (await row.ReadAsync(cancellationToken))
        {
            assignments.Add(new AssignmentView(
                row.GetString(0),
                row.GetString(1),
                row.GetString(2),
                row.GetString(3),
                row.GetStringOrNull(4),
                row.GetString(5),
                row.GetStringOrNull(6),
                row.GetStringOrNull(7),
                row.GetInt32OrNull(8),
                row.GetInt32OrNull(9),
                row.GetTime(10),
                row.GetDoubleOrNull(11),
                row.GetDoubleOrNull(12)));
        }

        return (tenant, job with { Assignments = assignments });
    }

    /// <summary>
    /// Fails the running jobs whose owner is not a live silo (no heartbeat within <see cref="PostgresOptions.SiloLease"/>)
    /// and that were not saved in the last <see cref="AbandonGrace"/>, with their running assignments. Silos may run
    /// this at once: each job is claimed with <c>FOR UPDATE SKIP LOCKED</c>, so exactly one of them fails it.
    /// </summary>
    public async Task<int> FailAbandonedAsync(string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            WITH abandoned AS (
                SELECT id FROM jobs
                WHERE status = 'running' AND updated_at < @now - @grace
                  AND NOT EXISTS (SELECT 1 FROM silos s WHERE s.id = jobs.owner AND s.heartbeat_at > @now - @lease)
                FOR UPDATE SKIP LOCKED
            ),
            failed_assignments AS (
                UPDATE assignments a SET status = 'failed', error = @reason
                FROM abandoned WHERE a.job_id = abandoned.id AND a.status = 'running'
            ),
            failed_jobs AS (
                UPDATE jobs j SET status = 'failed', completed_at = @now, error_code = 'internal_error', error_message = @reason,
                                  updated_at = now()
                FROM abandoned WHERE j.id = abandoned.id
                RETURNING j.id
            )
            SELECT count(*) FROM failed_jobs
            """);
        command.Parameters.Add(Time("now", now));
        command.Parameters.Add(Parameter("grace", AbandonGrace));
        command.Parameters.Add(Parameter("lease", database.Options.SiloLease));
        command.Parameters.Add(Parameter("reason", reason));
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
