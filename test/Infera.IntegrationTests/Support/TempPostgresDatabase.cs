using Infera.Storage.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Infera.IntegrationTests.Support;

/// <summary>A PostgreSQL database of its own for one test, dropped (with any connections left) on dispose.</summary>
internal sealed class TempPostgresDatabase : IAsyncDisposable
{
    private readonly List<PostgresDatabase> _opened = [];

    private TempPostgresDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>For the test's own queries: no pool left behind holding connections to a dropped database.</summary>
    private string Unpooled => new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString;

    /// <summary>A fresh, empty database.</summary>
    public static async Task<TempPostgresDatabase> CreateAsync()
    {
        var name = $"infera_t_{Guid.NewGuid():N}";
        await AdminAsync($"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(TestServices.Postgres) { Database = name }.ConnectionString;
        return new TempPostgresDatabase(name, connectionString);
    }

    /// <summary>A fresh database with every migration applied.</summary>
    public static async Task<TempPostgresDatabase> MigratedAsync()
    {
        var temp = await CreateAsync();
        await temp.Open().MigrateAsync(CancellationToken.None);
        return temp;
    }

    /// <summary>A <see cref="PostgresDatabase"/> on this database, as one process would hold it; disposed with it.</summary>
    public PostgresDatabase Open(string processId = "test-process", TimeSpan? siloLease = null)
    {
        var options = new PostgresOptions { ConnectionString = ConnectionString, ProcessId = processId };
        options.SiloLease = siloLease ?? options.SiloLease;
        var database = new PostgresDatabase(Options.Create(options));
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Unpooled);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Unpooled);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task AdminAsync(string sql)
    {
        // Names are generated above, never taken from input; CREATE/DROP DATABASE take no parameters.
        await using var connection = new NpgsqlConnection(TestServices.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
