using System.Text.Json;
using static Infera.Storage.Sqlite.SqliteCommands;

namespace Infera.Storage.Sqlite;

/// <summary>Nodes in the SQLite file.</summary>
public sealed class SqliteNodeStore(SqliteDatabase database) : INodeStore
{
    public Task<(DateTimeOffset FirstSeen, TimeSpan OnlineBefore)> NodeOnlineAsync(NodeRecord node, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var upsert = Command(connection, transaction, """
                INSERT INTO nodes (address, public_key, backend, models_json, hardware_json, status, first_seen_ms, last_seen_ms, session_start_ms)
                VALUES ($address, $key, $backend, $models, $hardware, 'online', $seen, $seen, $seen)
                ON CONFLICT (address) DO UPDATE SET
                    public_key = excluded.public_key, backend = excluded.backend, models_json = excluded.models_json,
                    hardware_json = excluded.hardware_json, status = 'online', last_seen_ms = excluded.last_seen_ms,
                    session_start_ms = excluded.session_start_ms
                RETURNING first_seen_ms, online_ms_total
                """);
            upsert.Parameters.AddWithValue("$address", node.Address);
            upsert.Parameters.AddWithValue("$key", node.PublicKey);
            upsert.Parameters.AddWithValue("$backend", node.Backend);
            upsert.Parameters.AddWithValue("$models", JsonSerializer.Serialize(node.Models, StorageJsonContext.Default.IReadOnlyListModelOffer));
            upsert.Parameters.AddWithValue("$hardware", JsonSerializer.Serialize(node.Hardware, StorageJsonContext.Default.HardwareInfo));
            upsert.Parameters.AddWithValue("$seen", node.SeenAt.ToUnixTimeMilliseconds());
            await using var row = await upsert.ExecuteReaderAsync(cancellationToken);
            await row.ReadAsync(cancellationToken);
            return (DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(0)), TimeSpan.FromMilliseconds(row.GetInt64(1)));
        }, cancellationToken);

    public Task NodeOfflineAsync(string address, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var update = Command(connection, transaction, """
                UPDATE nodes SET status = 'offline', last_seen_ms = $at,
                    online_ms_total = online_ms_total + MAX(0, $at - COALESCE(session_start_ms, $at)), session_start_ms = NULL
                WHERE address = $address
                """);
            update.Parameters.AddWithValue("$address", address);
            update.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            return await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
