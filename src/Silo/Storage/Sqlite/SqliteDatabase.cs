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
/// In a batch of several, each write runs under its own savepoint, so one that fails is rolled back alone. Writes get
/// their commands from a <see cref="SqliteWriter"/>, which keeps them prepared for the connection's life.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private const int MaxBatch = 256;
    private readonly Channel<WriteItem> _writes = Channel.CreateUnbounded<WriteItem>(new() { SingleReader = true });
    private readonly string _connectionString;
    private readonly Lazy<Task> _loop;

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
        _loop = new Lazy<Task>(() => Task.Run(WriteLoopAsync));
    }

    public string FilePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // temp_store: an upsert or multi-row delete inside a savepoint needs a statement journal, which SQLite
        // otherwise keeps in a new temporary file each time (an open, unlink and writes per statement, measured).
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> inside a transaction, possibly shared with other writes queued alongside.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, Task<T>> work, CancellationToken cancellationToken)
    {
        var item = new WriteItem<T>(work, cancellationToken);
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(item), this);

        _ = _loop.Value;
        return item.Completion;
    }

    private async Task WriteLoopAsync()
    {
        SqliteWriter? writer = null;
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
                writer ??= new SqliteWriter(await OpenAsync(CancellationToken.None));
                await using var transaction = (SqliteTransaction)await writer.Connection.BeginTransactionAsync();
                writer.Transaction = transaction;
                var succeeded = await RunAsync(writer, batch);
                if (succeeded.Count > 0)
                {
                    await transaction.CommitAsync();
                }
                else
                {
                    await transaction.RollbackAsync();
                }

                succeeded.ForEach(item => item.Complete());
            }
            catch (Exception ex)
            {
                // The file could not be opened or the commit failed (disk full, file gone): nothing in the batch was
                // written. The next batch starts on a fresh connection, with its commands prepared again.
                batch.ForEach(item => item.Fail(ex));
                writer?.Dispose();
                writer = null;
            }
        }

        writer?.Dispose();
    }

    /// <summary>Runs a batch's writes; returns those that succeeded, whose changes are still in the transaction.</summary>
    private static async Task<List<WriteItem>> RunAsync(SqliteWriter writer, List<WriteItem> batch)
    {
        var succeeded = new List<WriteItem>(batch.Count);
        if (batch.Count == 1)
        {
            // Alone in its batch, a write needs no savepoint: if it fails, the loop rolls back the whole transaction instead.
            if (await batch[0].RunAsync(writer))
            {
                succeeded.Add(batch[0]);
            }

            return succeeded;
        }

        // One savepoint name serves every write, as each is released (or undone and released) before the next.
        foreach (var item in batch)
        {
            writer.Command("SAVEPOINT w").ExecuteNonQuery();
            if (await item.RunAsync(writer))
            {
                writer.Command("RELEASE w").ExecuteNonQuery();
                succeeded.Add(item);
            }
            else
            {
                writer.Command("ROLLBACK TO w; RELEASE w").ExecuteNonQuery();
            }
        }

        return succeeded;
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
            var ran = await WriteAsync(async writer =>
            {
                var check = writer.Command("SELECT COUNT(*) FROM schema_migrations WHERE version = $v");
                check.Set("$v", version);
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0)
                {
                    return false;
                }

                // A migration's text runs once, so it is not kept prepared.
                await using var migrate = writer.Connection.CreateCommand();
                migrate.Transaction = writer.Transaction;
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
        if (_loop.IsValueCreated)
        {
            _loop.Value.GetAwaiter().GetResult();
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>A queued write: runs inside the batch's transaction, then completes once the batch is committed.</summary>
    private abstract class WriteItem
    {
        /// <summary>Runs the work; false when it failed (its caller has been told) and its changes must be undone.</summary>
        public abstract Task<bool> RunAsync(SqliteWriter writer);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteItem<T>(Func<SqliteWriter, Task<T>> work, CancellationToken cancellationToken) : WriteItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Completion => _completion.Task;

        public override async Task<bool> RunAsync(SqliteWriter writer)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(cancellationToken);
                return false;
            }

            try
            {
                _result = await work(writer);
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
