using System.Text.Json;
using Infera.Jobs;
using Microsoft.Data.Sqlite;
using static Infera.Storage.Sqlite.SqliteCommands;

namespace Infera.Storage.Sqlite;

/// <summary>Jobs, assignments and verdicts in the SQLite file.</summary>
public sealed class SqliteJobStore(SqliteDatabase database) : IJobStore
{
    public Task SaveAsync(string tenant, JobView job, CancellationToken cancellationToken) =>
        database.WriteAsync(async writer =>
        {
            var upsert = writer.Command("""
                INSERT INTO jobs (id, tenant, model, status, stream, redundancy, created_ms, completed_ms, finish_reason,
                                  prompt_tokens, completion_tokens, error_code, error_message, verification_json)
                VALUES ($id, $tenant, $model, $status, $stream, $redundancy, $created, $completed, $finish,
                        $prompt, $completion, $error_code, $error_message, $verification)
                ON CONFLICT (id) DO UPDATE SET
                    status = excluded.status, completed_ms = excluded.completed_ms, finish_reason = excluded.finish_reason,
                    prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens,
                    error_code = excluded.error_code, error_message = excluded.error_message,
                    verification_json = excluded.verification_json
                """);
            upsert.Set("$id", job.Id);
            upsert.Set("$tenant", tenant);
            upsert.Set("$model", job.Model);
            upsert.Set("$status", job.Status);
            upsert.Set("$stream", job.Stream);
            upsert.Set("$redundancy", job.Redundancy);
            upsert.Set("$created", job.CreatedAt.ToUnixTimeMilliseconds());
            upsert.Set("$completed", job.CompletedAt?.ToUnixTimeMilliseconds());
            upsert.Set("$finish", job.FinishReason);
            upsert.Set("$prompt", job.Usage?.PromptTokens);
            upsert.Set("$completion", job.Usage?.CompletionTokens);
            upsert.Set("$error_code", job.Error?.Code);
            upsert.Set("$error_message", job.Error?.Message);
            upsert.Set("$verification", job.Verification is null ? null : JsonSerializer.Serialize(job.Verification, StorageJsonContext.Default.VerificationView));
            await upsert.ExecuteNonQueryAsync(cancellationToken);

            // Apart from the upsert, so each statement binds only the parameters it names.
            var clear = writer.Command("""
                DELETE FROM assignments WHERE job_id = $id;
                DELETE FROM verdicts WHERE job_id = $id;
                """);
            clear.Set("$id", job.Id);
            await clear.ExecuteNonQueryAsync(cancellationToken);

            var seq = 0;
            foreach (var a in job.Assignments)
            {
                var insert = writer.Command("""
                    INSERT INTO assignments (id, job_id, seq, node_address, role, status, replaces, output, finish_reason, error,
                                             prompt_tokens, completion_tokens, dispatched_ms, ttft_ms, total_ms)
                    VALUES ($id, $job, $seq, $node, $role, $status, $replaces, $output, $finish, $error,
                            $prompt, $completion, $dispatched, $ttft, $total)
                    """);
                insert.Set("$id", a.Id);
                insert.Set("$job", job.Id);
                insert.Set("$seq", seq++);
                insert.Set("$node", a.Node);
                insert.Set("$role", a.Role);
                insert.Set("$status", a.Status);
                insert.Set("$replaces", a.Replaces);
                insert.Set("$output", a.Output);
                insert.Set("$finish", a.FinishReason);
                insert.Set("$error", a.Error);
                insert.Set("$prompt", a.PromptTokens);
                insert.Set("$completion", a.CompletionTokens);
                insert.Set("$dispatched", a.DispatchedAt.ToUnixTimeMilliseconds());
                insert.Set("$ttft", a.TimeToFirstTokenMs);
                insert.Set("$total", a.TotalMs);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            foreach (var v in job.Verification?.Verdicts ?? [])
            {
                var verdict = writer.Command("""
                    INSERT INTO verdicts (job_id, assignment_id, node_address, verdict, score, reason) VALUES ($job, $assignment, $node, $verdict, $score, $reason)
                    """);
                verdict.Set("$job", job.Id);
                verdict.Set("$assignment", v.AssignmentId);
                verdict.Set("$node", v.Node);
                verdict.Set("$verdict", v.Verdict);
                verdict.Set("$score", v.Score);
                verdict.Set("$reason", v.Reason);
                await verdict.ExecuteNonQueryAsync(cancellationToken);
            }

            return true;
        }, cancellationToken);

    public async Task<(string Tenant, JobView Job)?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, """
            SELECT tenant, model, status, stream, redundancy, created_ms, completed_ms, finish_reason, prompt_tokens,
                   completion_tokens, error_code, error_message, verification_json
            FROM jobs WHERE id = $id
            """);
        query.Parameters.AddWithValue("$id", jobId);
        await using var row = await query.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
        {
            return null;
        }

        var tenant = row.GetString(0);
        int? prompt = row.IsDBNull(8) ? null : row.GetInt32(8);
        int? completion = row.IsDBNull(9) ? null : row.GetInt32(9);
        var job = new JobView(
            jobId,
            JobView.ObjectName,
            row.GetString(2),
            row.GetString(1),
            row.GetBoolean(3),
            DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5)),
            row.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(6)),
            row.IsDBNull(7) ? null : row.GetString(7),
            prompt is { } p && completion is { } c ? new UsageView(p, c, p + c) : null,
            row.IsDBNull(10) ? null : new JobErrorView(row.GetString(10), row.IsDBNull(11) ? string.Empty : row.GetString(11)),
            row.GetInt32(4),
            await ReadAssignmentsAsync(connection, jobId, cancellationToken),
            row.IsDBNull(12) ? null : JsonSerializer.Deserialize(row.GetString(12), StorageJsonContext.Default.VerificationView));
        return (tenant, job);
    }

    public Task<int> FailAbandonedAsync(string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async writer =>
        {
            var update = writer.Command("""
                UPDATE assignments SET status = 'failed', error = $reason
                WHERE status = 'running' AND job_id IN (SELECT id FROM jobs WHERE status = 'running');
                UPDATE jobs SET status = 'failed', completed_ms = $now, error_code = 'internal_error', error_message = $reason
                WHERE status = 'running';
                """);
            update.Set("$reason", reason);
            update.Set("$now", now.ToUnixTimeMilliseconds());
            await update.ExecuteNonQueryAsync(cancellationToken);
            var changes = writer.Command("SELECT changes()");
            return Convert.ToInt32(await changes.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    private static async Task<List<AssignmentView>> ReadAssignmentsAsync(SqliteConnection connection, string jobId, CancellationToken cancellationToken)
    {
        await using var query = Command(connection, null, """
            SELECT id, node_address, role, status, replaces, output, finish_reason, error, prompt_tokens, completion_tokens,
                   dispatched_ms, ttft_ms, total_ms
            FROM assignments WHERE job_id = $id ORDER BY seq
            """);
        query.Parameters.AddWithValue("$id", jobId);
        await using var row = await query.ExecuteReaderAsync(cancellationToken);
        var assignments = new List<AssignmentView>();
        while (await row.ReadAsync(cancellationToken))
        {
            assignments.Add(new AssignmentView(
                row.GetString(0),
                row.GetString(1),
                row.GetString(2),
                row.GetString(3),
                row.IsDBNull(4) ? null : row.GetString(4),
                row.GetString(5),
                row.IsDBNull(6) ? null : row.GetString(6),
                row.IsDBNull(7) ? null : row.GetString(7),
                row.IsDBNull(8) ? null : row.GetInt32(8),
                row.IsDBNull(9) ? null : row.GetInt32(9),
                DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(10)),
                row.IsDBNull(11) ? null : row.GetDouble(11),
                row.IsDBNull(12) ? null : row.GetDouble(12)));
        }

        return assignments;
    }
}
