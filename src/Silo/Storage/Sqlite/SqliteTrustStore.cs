using Infera.Trust;
using Microsoft.Data.Sqlite;
using static Infera.Storage.Sqlite.SqliteCommands;

namespace Infera.Storage.Sqlite;

/// <summary>Node standing and the trust ledger in the SQLite file.</summary>
public sealed class SqliteTrustStore(SqliteDatabase database) : ITrustStore
{
    public async Task<NodeTrust?> GetAsync(string address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, """
            SELECT agreement, completion, speed, uptime, stake, points, offences, verdicts, cooling_off_until_ms, ejected_ms, ejected_reason
            FROM node_trust WHERE address = $address
            """);
        query.Parameters.AddWithValue("$address", address);
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
            row.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(8)),
            row.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(9)),
            row.IsDBNull(10) ? null : row.GetString(10));
    }

    public Task SaveAsync(NodeTrust trust, IReadOnlyList<TrustEvent> events, CancellationToken cancellationToken) =>
        database.WriteAsync(async writer =>
        {
            var upsert = writer.Command("""
                INSERT INTO node_trust (address, agreement, completion, speed, uptime, stake, points, offences, verdicts,
                                        cooling_off_until_ms, ejected_ms, ejected_reason)
                VALUES ($address, $agreement, $completion, $speed, $uptime, $stake, $points, $offences, $verdicts, $cooling, $ejected, $reason)
                ON CONFLICT (address) DO UPDATE SET
                    agreement = excluded.agreement, completion = excluded.completion, speed = excluded.speed,
                    uptime = excluded.uptime, stake = excluded.stake, points = excluded.points, offences = excluded.offences,
                    verdicts = excluded.verdicts, cooling_off_until_ms = excluded.cooling_off_until_ms,
                    ejected_ms = excluded.ejected_ms, ejected_reason = excluded.ejected_reason
                """);
            upsert.Set("$address", trust.Address);
            upsert.Set("$agreement", trust.Agreement);
            upsert.Set("$completion", trust.Completion);
            upsert.Set("$speed", trust.Speed);
            upsert.Set("$uptime", trust.Uptime);
            upsert.Set("$stake", trust.Stake);
            upsert.Set("$points", trust.Points);
            upsert.Set("$offences", trust.Offences);
            upsert.Set("$verdicts", trust.Verdicts);
            upsert.Set("$cooling", trust.CoolingOffUntil?.ToUnixTimeMilliseconds());
            upsert.Set("$ejected", trust.EjectedAt?.ToUnixTimeMilliseconds());
            upsert.Set("$reason", trust.EjectedReason);
            await upsert.ExecuteNonQueryAsync(cancellationToken);

            foreach (var e in events)
            {
                var insert = writer.Command("""
                    INSERT INTO trust_events (node_address, job_id, kind, reputation_before, reputation_after, stake_delta, points_delta, reason, at_ms)
                    VALUES ($address, $job, $kind, $before, $after, $stake, $points, $reason, $at)
                    """);
                insert.Set("$address", e.Address);
                insert.Set("$job", e.JobId);
                insert.Set("$kind", e.Kind);
                insert.Set("$before", e.ReputationBefore);
                insert.Set("$after", e.ReputationAfter);
                insert.Set("$stake", e.StakeDelta);
                insert.Set("$points", e.PointsDelta);
                insert.Set("$reason", e.Reason);
                insert.Set("$at", e.At.ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return true;
        }, cancellationToken);

    public async Task<IReadOnlyList<TrustEvent>> EventsAsync(string address, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, """
            SELECT job_id, kind, reputation_before, reputation_after, stake_delta, points_delta, reason, at_ms
            FROM trust_events WHERE node_address = $address ORDER BY id DESC LIMIT $limit
            """);
        query.Parameters.AddWithValue("$address", address);
        query.Parameters.AddWithValue("$limit", limit);
        await using var row = await query.ExecuteReaderAsync(cancellationToken);
        var events = new List<TrustEvent>();
        while (await row.ReadAsync(cancellationToken))
        {
            events.Add(Read(address, row));
        }

        return events;
    }

    private static TrustEvent Read(string address, SqliteDataReader row) => new(
        address,
        row.IsDBNull(0) ? null : row.GetString(0),
        row.GetString(1),
        row.GetDouble(2),
        row.GetDouble(3),
        row.GetDouble(4),
        row.GetDouble(5),
        row.GetString(6),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(7)));
}
