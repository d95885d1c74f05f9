using System.Text.Json;
using Infera.Identity;
using Infera.Network;
using Infera.Nodes;
using Infera.Trust;
using Microsoft.Data.Sqlite;
using static Infera.Storage.Sqlite.SqliteCommands;

namespace Infera.Storage.Sqlite;

/// <summary>Every node ever seen, from the SQLite file, with live status from this silo's registry.</summary>
public sealed class SqliteNodeDirectory(SqliteDatabase database, ITrustStore trust, NodeRegistry registry, TimeProvider clock) : INodeDirectory
{
    private const string Select = """
        SELECT n.address, n.backend, n.models_json, n.operator, n.first_seen_ms, n.last_seen_ms,
               t.agreement, t.completion, t.speed, t.uptime, t.stake, t.points, t.offences, t.verdicts,
               t.cooling_off_until_ms, t.ejected_ms, t.ejected_reason
        FROM nodes n LEFT JOIN node_trust t ON t.address = n.address
        """;

    public async Task<IReadOnlyList<NodeView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, Select + " ORDER BY n.first_seen_ms");
        await using var row = await query.ExecuteReaderAsync(cancellationToken);
        var nodes = new List<NodeView>();
        while (await row.ReadAsync(cancellationToken))
        {
            nodes.Add(Read(row));
        }

        return nodes;
    }

    public async Task<NodeDetailView?> GetAsync(string address, CancellationToken cancellationToken)
    {
        if (!NodeAddress.TryParse(address, out var parsed))
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        NodeView node;
        await using (var query = Command(connection, null, Select + " WHERE n.address = $address"))
        {
            query.Parameters.AddWithValue("$address", parsed.Value);
            await using var row = await query.ExecuteReaderAsync(cancellationToken);
            if (!await row.ReadAsync(cancellationToken))
            {
                return null;
            }

            node = Read(row);
        }

        var verdicts = new List<NodeVerdictView>();
        await using (var query = Command(connection, null, """
            SELECT v.job_id, v.assignment_id, v.verdict, v.score, v.reason FROM verdicts v
            JOIN jobs j ON j.id = v.job_id WHERE v.node_address = $address ORDER BY j.created_ms DESC LIMIT 20
            """))
        {
            query.Parameters.AddWithValue("$address", parsed.Value);
            await using var row = await query.ExecuteReaderAsync(cancellationToken);
            while (await row.ReadAsync(cancellationToken))
            {
                verdicts.Add(new NodeVerdictView(row.GetString(0), row.GetString(1), row.GetString(2), row.GetDouble(3), row.IsDBNull(4) ? null : row.GetString(4)));
            }
        }

        var ledger = (await trust.EventsAsync(parsed.Value, 20, cancellationToken))
            .Select(e => new LedgerLineView(e.JobId, e.Kind, e.ReputationBefore, e.ReputationAfter, e.StakeDelta, e.PointsDelta, e.Reason, e.At))
            .ToList();
        return new NodeDetailView(node, verdicts, ledger);
    }

    private NodeView Read(SqliteDataReader row)
    {
        var address = row.GetString(0);
        var standing = row.IsDBNull(6)
            ? null
            : new NodeTrust(address, row.GetDouble(6), row.GetDouble(7), row.GetDouble(8), row.GetDouble(9), row.GetDouble(10), row.GetDouble(11),
                row.GetInt32(12), row.GetInt32(13),
                row.IsDBNull(14) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(14)),
                row.IsDBNull(15) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(15)),
                row.IsDBNull(16) ? null : row.GetString(16));
        var live = NodeAddress.TryParse(address, out var parsed) && registry.TryGet(parsed, out var grain) ? grain : null;
        standing = live?.Trust ?? standing; // the live grain may be ahead of the store by a turn
        var now = clock.GetUtcNow();
        var status = NodeStatuses.Of(standing, live is not null, now);
        var models = JsonSerializer.Deserialize(row.GetString(2), StorageJsonContext.Default.IReadOnlyListModelOffer) ?? [];
        return new NodeView(
            address,
            status,
            row.IsDBNull(3) ? null : row.GetString(3),
            row.GetString(1),
            [.. models.Select(m => m.Name)],
            standing?.Reputation ?? 0,
            standing?.Stake ?? 0,
            standing?.Points ?? 0,
            standing?.Offences ?? 0,
            standing?.Verdicts ?? 0,
            standing?.CoolingOffUntil,
            standing?.EjectedAt,
            standing?.EjectedReason,
            DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4)),
            DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5)));
    }
}
