using System.Globalization;
using System.Reflection;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Infera.Storage.Sqlite;

/// <summary>
/// The SQLite file: opens connections and applies the numbered migrations embedded in this assembly. SQLite allows
/// one writer at a time, so writes go through one loop on one open connection, and everything queued while a
/// transaction commits goes into the next one (group commit): a busy silo pays one commit for many jobs' writes.
/// Each write runs under its own savepoint, so one that fails is rolled back alone.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private const int MaxBatch = 256;
    private readonly Channel<WriteItem> _writes = Channel.CreateUnbounded<WriteItem>(new() { SingleReader = true });
    private readonly string _connectionString;
    private readonly Lazy<Task> _writer;

    public SqliteDatabase(IOptions<SqliteOptions> options)
    {
        var path = System.IO.Path.GetFullPath(options.Value.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        _writer = new Lazy<Task>(() => Task.Run(WriteLoopAsync));
    }

    public string FilePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> inside a transaction, possibly shared with other writes queued alongside.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var item = new WriteItem<T>(work, cancellationToken);
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(item), this);

        _ = _writer.Value;
        return item.Completion;
    }

    private async Task WriteLoopAsync()
    {
        SqliteConnection? connection = null;
        var batch = new List<WriteItem>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                connection ??= await OpenAsync(CancellationToken.None);
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                var succeeded = new List<WriteItem>(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    var savepoint = "w" + i.ToString(CultureInfo.InvariantCulture);
                    await transaction.SaveAsync(savepoint);
                    if (await batch[i].RunAsync(connection, transaction))
                    {
                        await transaction.ReleaseAsync(savepoint);
                        succeeded.Add(batch[i]);
                    }
                    else
                    {
                        await transaction.RollbackAsync(savepoint);
                    }
                }

                await transaction.CommitAsync();
                succeeded.ForEach(item => item.Complete());
            }
            catch (Exception ex)
            {
                // The file could not be opened or the commit failed (disk full, file gone): nothing in the batch was
                // written. The next batch starts on a fresh connection.
                batch.ForEach(item => item.Fail(ex));
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                    connection = null;
                }
            }
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>Applies every migration not yet applied, each in its own transaction; safe to run again.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await OpenAsync(cancellationToken))
        await using (var wal = connection.CreateCommand())
        {
            // WAL lets readers (GET /v1/jobs) proceed while a job is being saved.
            wal.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL);";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = 0;
        foreach (var (version, name, sql) in Migrations())
        {
            var ran = await WriteAsync(async (connection, transaction) =>
            {
                await using var check = connection.CreateCommand();
                check.Transaction = transaction;
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $v";
                check.Parameters.AddWithValue("$v", version);
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0)
                {
                    return false;
                }

                await using var migrate = connection.CreateCommand();
                migrate.Transaction = transaction;
                migrate.CommandText = sql + "\nINSERT INTO schema_migrations (version, name, applied_ms) VALUES ($v, $n, $t);";
                migrate.Parameters.AddWithValue("$v", version);
                migrate.Parameters.AddWithValue("$n", name);
                migrate.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await migrate.ExecuteNonQueryAsync(cancellationToken);
                return true;
            }, cancellationToken);
            applied += ran ? 1 : 0;
        }

        return applied;
    }

    private static IEnumerable<(int Version, string Name, string Sql)> Migrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string marker = ".Storage.Sqlite.Migrations.";
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(marker, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Resource: n, File: n[(n.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..]))
            .OrderBy(n => n.File, StringComparer.Ordinal);
        foreach (var (resource, file) in names)
        {
            // Files are named NNNN_description.sql; the number is the version.
            var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (version, file, reader.ReadToEnd());
        }
    }

    public void Dispose()
    {
        _writes.Writer.TryComplete();
        if (_writer.IsValueCreated)
        {
            _writer.Value.GetAwaiter().GetResult();
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>A queued write: runs inside the batch's transaction, then completes once the batch is committed.</summary>
    private abstract class WriteItem
    {
        /// <summary>Runs the work; false when it failed (its caller has been told) and its savepoint must be undone.</summary>
        public abstract Task<bool> RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteItem<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) : WriteItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Completion => _completion.Task;

        public override async Task<bool> RunAsync(SqliteConnection connection, SqliteTransaction transaction)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(cancellationToken);
                return false;
            }

            try
            {
                _result = await work(connection, transaction);
                return true;
            }
            catch (Exception ex)
            {
                _completion.TrySetException(ex);
                return false;
            }
        }

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
