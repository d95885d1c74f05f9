using System.Text.Json;
using static Infera.Storage.Postgres.PostgresCommands;

namespace Infera.Storage.Postgres;

/// <summary>Nodes in PostgreSQL.</summary>
public sealed class PostgresNodeStore(PostgresDatabase database) : INodeStore
{
    public async Task<(DateTimeOffset FirstSeen, TimeSpan OnlineBefore)> NodeOnlineAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var upsert = Command(connection, null, """
            INSERT INTO nodes (address, public_key, backend, models_json, hardware_json, status, first_seen_at, last_seen_at, session_start_at)
            VALUES (@address, @key, @backend, @models, @hardware, 'online', @seen, @seen, @seen)
            ON CONFLICT (address) DO UPDATE SET
                public_key = excluded.public_key, backend = excluded.backend, models_json = excluded.models_json,
                hardware_json = excluded.hardware_json, status = 'online', last_seen_at = excluded.last_seen_at,
                session_start_at = excluded.session_start_at
            RETURNING first_seen_at, online_ms_total
            """);
        upsert.Parameters.Add(Parameter("address", node.Address));
        upsert.Parameters.Add(Parameter("key", node.PublicKey));
        upsert.Parameters.Add(Parameter("backend", node.Backend));
        upsert.Parameters.Add(Json("models", JsonSerializer.Serialize(node.Models, PostgresJsonContext.Default.IReadOnlyListModelOffer)));
        upsert.Parameters.Add(Json("hardware", JsonSerializer.Serialize(node.Hardware, PostgresJsonContext.Default.HardwareInfo)));
        upsert.Parameters.Add(Time("seen", node.SeenAt));
        await using var row = await upsert.ExecuteReaderAsync(cancellationToken);
        await row.ReadAsync(cancellationToken);
        return (row.GetTime(0), TimeSpan.FromMilliseconds(row.GetInt64(1)));
    }

    public async Task NodeOfflineAsync(string address, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // Both instants are whole milliseconds, so the session's length in ms is exact.
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var update = Command(connection, null, """
            UPDATE nodes SET status = 'offline', last_seen_at = @at,
                online_ms_total = online_ms_total
                    + GREATEST(0, (extract(epoch FROM @at - COALESCE(session_start_at, @at)) * 1000)::bigint),
                session_start_at = NULL
            WHERE address = @address
            """);
        update.Parameters.Add(Parameter("address", address));
        update.Parameters.Add(Time("at", at));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
