using Infera.Trust;
using Npgsql;
using static Infera.Storage.Postgres.PostgresCommands;

namespace Infera.Storage.Postgres;

/// <summary>Node standing and the trust ledger in PostgreSQL.</summary>
public sealed class PostgresTrustStore(PostgresDatabase database) : ITrustStore
{
    public async Task<NodeTrust?> GetAsync(string address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, """
            SELECT agreement, completion, speed, uptime, stake, points, offences, verdicts, cooling_off_until, ejected_at, ejected_reason
            FROM node_trust WHERE address = @address
            """);
        query.Parameters.Add(Parameter("address", address));
        await using var row = await query.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new NodeTrust(
            address,
            row.GetDouble(0),
            row.GetDouble(1),
            row.GetDouble(2),
            row.GetDouble(3),
            row.GetDouble(4),
            row.GetDouble(5),
            row.GetInt32(6),
            row.GetInt32(7),
            row.GetTimeOrNull(8),
            row.GetTimeOrNull(9),
            row.GetStringOrNull(10));
    }

    public async Task SaveAsync(NodeTrust trust, IReadOnlyList<TrustEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(BatchCommand("""
            INSERT INTO node_trust (address, agreement, completion, speed, uptime, stake, points, offences, verdicts,
                                    cooling_off_until, ejected_at, ejected_reason)
            VALUES (@address, @agreement, @completion, @speed, @uptime, @stake, @points, @offences, @verdicts, @cooling, @ejected, @reason)
            ON CONFLICT (address) DO UPDATE SET
                agreement = excluded.agreement, completion = excluded.completion, speed = excluded.speed,
                uptime = excluded.uptime, stake = excluded.stake, points = excluded.points, offences = excluded.offences,
                verdicts = excluded.verdicts, cooling_off_until = excluded.cooling_off_until,
                ejected_at = excluded.ejected_at, ejected_reason = excluded.ejected_reason
            """,
            Parameter("address", trust.Address),
            Parameter("agreement", trust.Agreement),
            Parameter("completion", trust.Completion),
            Parameter("speed", trust.Speed),
            Parameter("uptime", trust.Uptime),
            Parameter("stake", trust.Stake),
            Parameter("points", trust.Points),
            Parameter("offences", trust.Offences),
            Parameter("verdicts", trust.Verdicts),
            Time("cooling", trust.CoolingOffUntil),
            Time("ejected", trust.EjectedAt),
            Parameter("reason", trust.EjectedReason)));
        foreach (var e in events)
        {
            batch.BatchCommands.Add(BatchCommand("""
                INSERT INTO trust_events (node_address, job_id, kind, reputation_before, reputation_after, stake_delta, points_delta, reason, occurred_at)
                VALUES (@address, @job, @kind, @before, @after, @stake, @points, @reason, @at)
                """,
                Parameter("address", e.Address),
                Parameter("job", e.JobId),
                Parameter("kind", e.Kind),
                Parameter("before", e.ReputationBefore),
                Parameter("after", e.ReputationAfter),
                Parameter("stake", e.StakeDelta),
                Parameter("points", e.PointsDelta),
                Parameter("reason", e.Reason),
                Time("at", e.At)));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TrustEvent>> EventsAsync(string address, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, """
            SELECT job_id, kind, reputation_before, reputation_after, stake_delta, points_delta, reason, occurred_at
            FROM trust_events WHERE node_address = @address ORDER BY id DESC LIMIT @limit
            """);
        query.Parameters.Add(Parameter("address", address));
        query.Parameters.Add(Parameter("limit", limit));
        await using var row = await query.ExecuteReaderAsync(cancellationToken);
        var events = new List<TrustEvent>();
        while (await row.ReadAsync(cancellationToken))
        {
            events.Add(new TrustEvent(
                address,
                row.GetStringOrNull(0),
                row.GetString(1),
                row.GetDouble(2),
                row.GetDouble(3),
                row.GetDouble(4),
                row.GetDouble(5),
                row.GetString(6),
                row.GetTime(7)));
        }

        return events;
    }
}
