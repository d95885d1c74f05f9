using System.Text.Json;
using Infera.Identity;
using Infera.Network;
using Infera.Nodes;
using Infera.Trust;
using Npgsql;
using static Infera.Storage.Postgres.PostgresCommands;

namespace Infera.Storage.Postgres;

/// <summary>
/// Every node ever seen, from PostgreSQL. A node is online while some live silo holds its socket (the cluster's
/// presence table); on a silo, a node it holds shows its grain's standing, which may be a turn ahead of the store.
/// </summary>
public sealed class PostgresNodeDirectory(PostgresDatabase database, ITrustStore trust, TimeProvider clock, NodeRegistry? registry = null) : INodeDirectory
{
    private const string Select = """
        SELECT n.address, n.backend, n.models_json::text, n.operator, n.first_seen_at, n.last_seen_at,
               t.agreement, t.completion, t.speed, t.uptime, t.stake, t.points, t.offences, t.verdicts,
               t.cooling_off_until, t.ejected_at, t.ejected_reason,
               EXISTS (SELECT 1 FROM node_presence p JOIN silos s ON s.id = p.silo_id
                       WHERE p.address = n.address AND s.heartbeat_at > now() - @lease) AS present
        FROM nodes n LEFT JOIN node_trust t ON t.address = n.address
        """;

    public async Task<IReadOnlyList<NodeView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, Select + " ORDER BY n.first_seen_at");
        query.Parameters.Add(Parameter("lease", database.Options.SiloLease));
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
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(BatchCommand(Select + " WHERE n.address = @address", Parameter("address", parsed.Value), Parameter("lease", database.Options.SiloLease)));
        batch.BatchCommands.Add(BatchCommand("""
            SELECT v.job_id, v.assignment_id, v.verdict, v.score, v.reason FROM verdicts v
            JOIN jobs j ON j.id = v.job_id WHERE v.node_address = @address ORDER BY j.created_at DESC LIMIT 20
            """, Parameter("address", parsed.Value)));
        NodeView node;
        var verdicts = new List<NodeVerdictView>();
        await using (var row = await batch.ExecuteReaderAsync(cancellationToken))
        {
            if (!await row.ReadAsync(cancellationToken))
            {
                return null;
            }

            node = Read(row);
            await row.NextResultAsync(cancellationToken);
            while (await row.ReadAsync(cancellationToken))
            {
                verdicts.Add(new NodeVerdictView(row.GetString(0), row.GetString(1), row.GetString(2), row.GetDouble(3), row.GetStringOrNull(4)));
            }
        }

        var ledger = (await trust.EventsAsync(parsed.Value, 20, cancellationToken))
            .Select(e => new LedgerLineView(e.JobId, e.Kind, e.ReputationBefore, e.ReputationAfter, e.StakeDelta, e.PointsDelta, e.Reason, e.At))
            .ToList();
        return new NodeDetailView(node, verdicts, ledger);
    }

    private NodeView Read(NpgsqlDataReader row)
    {
        var address = row.GetString(0);
        var standing = row.IsDBNull(6)
            ? null
            : new NodeTrust(address, row.GetDouble(6), row.GetDouble(7), row.GetDouble(8), row.GetDouble(9), row.GetDouble(10), row.GetDouble(11),
                row.GetInt32(12), row.GetInt32(13), row.GetTimeOrNull(14), row.GetTimeOrNull(15), row.GetStringOrNull(16));
        var live = registry is not null && NodeAddress.TryParse(address, out var parsed) && registry.TryGet(parsed, out var grain) ? grain : null;
        standing = live?.Trust ?? standing;
        var now = clock.GetUtcNow();
        var status = NodeStatuses.Of(standing, live is not null || row.GetBoolean(17), now);
        var models = JsonSerializer.Deserialize(row.GetString(2), PostgresJsonContext.Default.IReadOnlyListModelOffer) ?? [];
        return new NodeView(
            address,
            status,
            row.GetStringOrNull(3),
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
            row.GetTime(4),
            row.GetTime(5));
    }
}
