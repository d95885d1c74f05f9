using Infera.Tests.Shared;
using Infera.IntegrationTests.Support;
using Infera.Network;
using Infera.Nodes;
using Infera.Storage;
using Infera.Storage.Postgres;
using Infera.Storage.Sqlite;

namespace Infera.IntegrationTests.Storage;

/// <summary>
/// What every store must do, written once and run against each engine: passing both proves the PostgreSQL store
/// means what the SQLite one means. The cases are split by store over this class's partial files.
/// </summary>
public abstract partial class StoreContract
{
    protected static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_763_800_000_123);

    private Stores? _stores;

    protected Stores Store => _stores ?? throw new InvalidOperationException("SetUp has not run.");

    protected abstract Task<Stores> OpenAsync();

    [SetUp]
    public async Task OpenStoresAsync() => _stores = await OpenAsync();

    [TearDown]
    public async Task CloseStoresAsync()
    {
        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }
    }

    /// <summary>One engine's stores on a database of their own, and the few raw queries the cases need.</summary>
    protected abstract class Stores : IAsyncDisposable
    {
        public abstract IJobStore Jobs { get; }

        public abstract INodeStore Nodes { get; }

        public abstract ITrustStore Trust { get; }

        public abstract IApiKeyStore ApiKeys { get; }

        public abstract INodeDirectory Directory(NodeRegistry registry);

        /// <summary>A count; the statement must be plain SQL that both engines accept.</summary>
        public abstract Task<long> CountAsync(string sql);

        /// <summary>Marks the key revoked, as an operator would by hand (the stores have no call for it).</summary>
        public abstract Task RevokeKeyAsync(string keyHash);

        public abstract ValueTask DisposeAsync();
    }
}

/// <summary>The contract against the embedded SQLite store.</summary>
public sealed class SqliteStoreContract : StoreContract
{
    protected override async Task<Stores> OpenAsync() => new SqliteStores(await TempSqliteDatabase.MigratedAsync());

    private sealed class SqliteStores(TempSqliteDatabase temp) : Stores
    {
        private readonly SqliteTrustStore _trust = new(temp.Database);

        public override IJobStore Jobs { get; } = new SqliteJobStore(temp.Database);

        public override INodeStore Nodes { get; } = new SqliteNodeStore(temp.Database);

        public override ITrustStore Trust => _trust;

        public override IApiKeyStore ApiKeys { get; } = new SqliteApiKeyStore(temp.Database);

        public override INodeDirectory Directory(NodeRegistry registry) => new SqliteNodeDirectory(temp.Database, _trust, registry, TimeProvider.System);

        public override Task<long> CountAsync(string sql) => temp.ScalarAsync(sql);

        public override async Task RevokeKeyAsync(string keyHash)
        {
            await using var connection = await temp.Database.OpenAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE api_keys SET revoked_ms = 1 WHERE key_hash = $hash";
            command.Parameters.AddWithValue("$hash", keyHash);
            await command.ExecuteNonQueryAsync();
        }

        public override ValueTask DisposeAsync()
        {
            temp.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>The contract against the cluster's PostgreSQL store.</summary>
public sealed class PostgresStoreContract : StoreContract
{
    protected override async Task<Stores> OpenAsync() => new PostgresStores(await TempPostgresDatabase.MigratedAsync());

    private sealed class PostgresStores : Stores
    {
        private readonly TempPostgresDatabase _temp;
        private readonly PostgresDatabase _database;
        private readonly PostgresTrustStore _trust;

        public PostgresStores(TempPostgresDatabase temp)
        {
            _temp = temp;
            _database = temp.Open();
            _trust = new PostgresTrustStore(_database);
            Jobs = new PostgresJobStore(_database);
            Nodes = new PostgresNodeStore(_database);
            ApiKeys = new PostgresApiKeyStore(_database);
        }

        public override IJobStore Jobs { get; }

        public override INodeStore Nodes { get; }

        public override ITrustStore Trust => _trust;

        public override IApiKeyStore ApiKeys { get; }

        public override INodeDirectory Directory(NodeRegistry registry) => new PostgresNodeDirectory(_database, _trust, TimeProvider.System, registry);

        public override Task<long> CountAsync(string sql) => _temp.ScalarAsync(sql);

        public override Task RevokeKeyAsync(string keyHash) =>
            _temp.ExecuteAsync("UPDATE api_keys SET revoked_at = now() WHERE key_hash = @hash", ("hash", keyHash));

        public override ValueTask DisposeAsync() => _temp.DisposeAsync();
    }
}
