using static Infera.Storage.Postgres.PostgresCommands;

namespace Infera.Storage.Postgres;

/// <summary>API key hashes in PostgreSQL.</summary>
public sealed class PostgresApiKeyStore(PostgresDatabase database) : IApiKeyStore
{
    public async Task<ApiKeyRecord?> FindByHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, """
            SELECT id, name, tenant, prefix, created_at FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL
            """);
        query.Parameters.Add(Parameter("hash", keyHash));
        await using var row = await query.ExecuteReaderAsync(cancellationToken);
        return await row.ReadAsync(cancellationToken)
            ? new ApiKeyRecord(row.GetString(0), row.GetString(1), row.GetString(2), keyHash, row.GetString(3), row.GetTime(4))
            : null;
    }

    public async Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = Command(connection, null, """
            INSERT INTO api_keys (id, name, tenant, key_hash, prefix, created_at) VALUES (@id, @name, @tenant, @hash, @prefix, @created)
            ON CONFLICT (key_hash) DO NOTHING
            """);
        insert.Parameters.Add(Parameter("id", key.Id));
        insert.Parameters.Add(Parameter("name", key.Name));
        insert.Parameters.Add(Parameter("tenant", key.Tenant));
        insert.Parameters.Add(Parameter("hash", key.KeyHash));
        insert.Parameters.Add(Parameter("prefix", key.Prefix));
        insert.Parameters.Add(Time("created", key.CreatedAt));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
