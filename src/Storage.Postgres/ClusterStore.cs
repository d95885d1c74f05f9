using Npgsql;
using NpgsqlTypes;

namespace Infera.Storage.Postgres;

/// <summary>
/// The cluster's shared view in PostgreSQL: each silo's lease, and which silo holds each node's socket. Times are the
/// database's, so silos with skewed clocks still agree on who is alive.
/// </summary>
public sealed class ClusterStore(NpgsqlDataSource database)
{
    /// <summary>Renews (or takes) the silo's lease and replaces its list of nodes, in one transaction.</summary>
    public async Task HeartbeatAsync(string siloId, string queue, bool draining, IReadOnlyList<NodePresence> nodes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lease = new NpgsqlCommand(
            """
            INSERT INTO silos (id, queue, started_at, heartbeat_at, draining) VALUES (@id, @queue, now(), now(), @draining)
            ON CONFLICT (id) DO UPDATE SET queue = excluded.queue, heartbeat_at = now(), draining = excluded.draining
            """, connection, transaction))
        {
            lease.Parameters.AddWithValue("id", siloId);
            lease.Parameters.AddWithValue("queue", queue);
            lease.Parameters.AddWithValue("draining", draining);
            await lease.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO node_presence (address, silo_id, hello, remote_address, heartbeat_at)
            SELECT a, @silo, h, r, now() FROM unnest(@addresses, @hellos, @remotes) AS n(a, h, r)
            ON CONFLICT (address) DO UPDATE SET silo_id = excluded.silo_id, hello = excluded.hello,
                remote_address = excluded.remote_address, heartbeat_at = now()
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue("silo", siloId);
            upsert.Parameters.Add(new NpgsqlParameter("addresses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = nodes.Select(n => n.Address).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("hellos", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = nodes.Select(n => n.Hello).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("remotes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = nodes.Select(n => (object?)n.RemoteAddress ?? DBNull.Value).ToArray() });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var gone = new NpgsqlCommand(
            "DELETE FROM node_presence WHERE silo_id = @silo AND NOT (address = ANY (@addresses))", connection, transaction))
        {
            gone.Parameters.AddWithValue("silo", siloId);
            gone.Parameters.Add(new NpgsqlParameter("addresses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = nodes.Select(n => n.Address).ToArray() });
            await gone.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The nodes held by live silos other than <paramref name="siloId"/> (every live silo's when null), with whether their silo drains.</summary>
    public async Task<IReadOnlyList<RemoteNodePresence>> LiveNodesAsync(string? siloId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            """
            SELECT p.address, p.silo_id, s.queue, p.hello, p.remote_address, s.draining
            FROM node_presence p JOIN silos s ON s.id = p.silo_id
            WHERE s.heartbeat_at > now() - @lease AND (@silo::text IS NULL OR p.silo_id <> @silo)
            """);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.Add(new NpgsqlParameter("silo", NpgsqlDbType.Text) { Value = (object?)siloId ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var nodes = new List<RemoteNodePresence>();
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add(new RemoteNodePresence(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(5)));
        }

        return nodes;
    }

    /// <summary>Gives up the lease and the silo's nodes (a clean stop; a crash lets the lease run out instead).</summary>
    public async Task LeaveAsync(string siloId, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM node_presence WHERE silo_id = @silo") { Parameters = { new("silo", siloId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM silos WHERE id = @silo") { Parameters = { new("silo", siloId) } });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records a hello's signature as used, cluster-wide; false when some silo accepted it before (a replay). Entries
    /// expire once the signature's timestamp could no longer pass the clock-skew check anyway.
    /// </summary>
    public async Task<bool> TryUseSignatureAsync(string signature, TimeSpan validFor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var sweep = new NpgsqlCommand("DELETE FROM used_signatures WHERE expires_at < now()", connection))
        {
            await sweep.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var use = new NpgsqlCommand(
            "INSERT INTO used_signatures (signature, expires_at) VALUES (@signature, now() + @valid) ON CONFLICT (signature) DO NOTHING", connection);
        use.Parameters.AddWithValue("signature", signature);
        use.Parameters.AddWithValue("valid", validFor);
        return await use.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}

/// <summary>A node this silo holds, as other silos see it: its hello (with its current offer) and where it dials from.</summary>
public sealed record NodePresence(string Address, string Hello, string? RemoteAddress);

/// <summary>A node some live silo holds, that silo's queue, and whether it drains (its nodes finish what they run but take nothing new).</summary>
public sealed record RemoteNodePresence(string Address, string SiloId, string SiloQueue, string Hello, string? RemoteAddress, bool Draining);
