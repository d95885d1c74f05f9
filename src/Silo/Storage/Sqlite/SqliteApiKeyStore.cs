using static Infera.Storage.Sqlite.SqliteCommands;

namespace Infera.Storage.Sqlite;

/// <summary>API key hashes in the SQLite file.</summary>
public sealed class SqliteApiKeyStore(SqliteDatabase database) : IApiKeyStore
{
    public async Task<ApiKeyRecord?> FindByHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, """
            SELECT id, name, tenant, prefix, created_ms FROM api_keys WHERE key_hash = $hash AND revoked_ms IS NULL
            """);
        query.Parameters.AddWithValue("$hash", keyHash);
        await using var row = await query.ExecuteReaderAsync(cancellationToken);
        return await row.ReadAsync(cancellationToken)
            ? new ApiKeyRecord(row.GetString(0), row.GetString(1), row.GetString(2), keyHash, row.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4)))
            : null;
    }

    public Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        database.WriteAsync(async writer =>
        {
            var insert = writer.Command("""
                INSERT INTO api_keys (id, name, tenant, key_hash, prefix, created_ms) VALUES ($id, $name, $tenant, $hash, $prefix, $created)
                ON CONFLICT (key_hash) DO NOTHING
                """);
            insert.Set("$id", key.Id);
            insert.Set("$name", key.Name);
            insert.Set("$tenant", key.Tenant);
            insert.Set("$hash", key.KeyHash);
            insert.Set("$prefix", key.Prefix);
            insert.Set("$created", key.CreatedAt.ToUnixTimeMilliseconds());
            return await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
