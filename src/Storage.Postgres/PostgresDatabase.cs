using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Infera.Storage.Postgres;

/// <summary>
/// The PostgreSQL database: one pooled data source for every store, and the numbered migrations embedded in this
/// assembly, applied by whichever process gets to them first.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>Connect timeout when the connection string names none: a database that is down fails a request fast.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The advisory lock every process takes to migrate: "infera" in ASCII, constant across releases.</summary>
    private const long MigrationLockKey = 0x696E66657261;

    /// <summary>Migrations and the wait for another process's migrations may take longer than one ordinary command.</summary>
    private static readonly TimeSpan MigrationCommandTimeout = TimeSpan.FromMinutes(5);

    private const string Marker = "Infera.Storage.Postgres.Migrations.";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(IOptions<PostgresOptions> options)
    {
        Options = options.Value;
        var builder = new NpgsqlDataSourceBuilder(Options.ConnectionString);
        if (!new DbConnectionStringBuilder { ConnectionString = Options.ConnectionString }.ContainsKey("Timeout"))
        {
            builder.ConnectionStringBuilder.Timeout = (int)DefaultConnectTimeout.TotalSeconds;
        }

        builder.ConnectionStringBuilder.CommandTimeout = Seconds(Options.CommandTimeout);
        _dataSource = builder.Build();
    }

    public PostgresOptions Options { get; }

    /// <summary>The pooled data source; every connection of the stores comes from it.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Applies every embedded migration not yet applied, in order, each in its own transaction; returns how many this
    /// call applied. Processes that start together take turns on an advisory lock, so each migration runs once.
    /// </summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var migrations = Migrations();
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", MigrationLockKey));
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var done = new HashSet<int>();
            await using (var query = Command(connection, null, "SELECT version FROM schema_migrations"))
            await using (var row = await query.ExecuteReaderAsync(cancellationToken))
            {
                while (await row.ReadAsync(cancellationToken))
                {
                    done.Add(row.GetInt32(0));
                }
            }

            var applied = 0;
            foreach (var (version, name, sql) in migrations.Where(m => !done.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, now())",
                    cancellationToken, ("version", version), ("name", name));
                await transaction.CommitAsync(cancellationToken);
                applied++;
            }

            return applied;
        }
        finally
        {
            // A broken connection has lost the lock already; the pool would also release it when resetting the
            // connection, but not before the connection is used again.
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", MigrationLockKey));
            }
        }
    }

    /// <summary>The embedded <c>Migrations/NNNN_name.sql</c> files, by number; two files with one number are a build mistake.</summary>
    internal static IReadOnlyList<(int Version, string Name, string Sql)> Migrations()
    {
        var assembly = typeof(PostgresDatabase).Assembly;
        var migrations = new List<(int Version, string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Marker, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = resource[Marker.Length..];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration '{file}' must be named NNNN_description.sql.");
            }

            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add((version, file, reader.ReadToEnd()));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Migrations {string.Join(" and ", duplicate.Select(m => m.Name))} share the number {duplicate.Key}.");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) =>
        new(sql, connection, transaction) { CommandTimeout = Seconds(MigrationCommandTimeout) };

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static int Seconds(TimeSpan timeout) => (int)Math.Ceiling(timeout.TotalSeconds);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
