using System.Text.Json;

namespace Infera.Storage.Sqlite;

/// <summary>Nodes in the SQLite file.</summary>
public sealed class SqliteNodeStore(SqliteDatabase database) : INodeStore
{
    public Task<(DateTimeOffset FirstSeen, TimeSpan OnlineBefore)> NodeOnlineAsync(NodeRecord node, CancellationToken cancellationToken) =>
        database.WriteAsync(async writer =>
        {
            var upsert = writer.Command("""
                INSERT INTO nodes (address, public_key, backend, models_json, hardware_json, status, first_seen_ms, last_seen_ms, session_start_ms)
                VALUES ($address, $key, $backend, $models, $hardware, 'online', $seen, $seen, $seen)
                ON CONFLICT (address) DO UPDATE SET
                    public_key = excluded.public_key, backend = excluded.backend, models_json = excluded.models_json,
                    hardware_json = excluded.hardware_json, status = 'online', last_seen_ms = excluded.last_seen_ms,
                    session_start_ms = excluded.session_start_ms
                RETURNING first_seen_ms, online_ms_total
                """);
            upsert.Set("$address", node.Address);
            upsert.Set("$key", node.PublicKey);
            upsert.Set("$backend", node.Backend);
            upsert.Set("$models", JsonSerializer.Serialize(node.Models, StorageJsonContext.Default.IReadOnlyListModelOffer));
            upsert.Set("$hardware", JsonSerializer.Serialize(node.Hardware, StorageJsonContext.Default.HardwareInfo));
            upsert.Set("$seen", node.SeenAt.ToUnixTimeMilliseconds());
            await using var row = await upsert.ExecuteReaderAsync(cancellationToken);
            await row.ReadAsync(cancellationToken);
            return (DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(0)), TimeSpan.FromMilliseconds(row.GetInt64(1)));
        }, cancellationToken);

    public Task NodeOfflineAsync(string address, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async writer =>
        {
            var update = writer.Command("""
                UPDATE nodes SET status = 'offline', last_seen_ms = $at,
                    online_ms_total = online_ms_total + MAX(0, $at - COALESCE(session_start_ms, $at)), session_start_ms = NULL
                WHERE address = $address
                """);
            update.Set("$address", address);
            update.Set("$at", at.ToUnixTimeMilliseconds());
            return await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
