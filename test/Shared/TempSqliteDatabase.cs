using Infera.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Infera.Tests.Shared;

/// <summary>A SQLite database in a file of its own under the temp folder, deleted (with its WAL files) on dispose.</summary>
internal sealed class TempSqliteDatabase : IDisposable
{
    public TempSqliteDatabase()
    {
        FilePath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"infera-test-{Guid.NewGuid():N}.db");
        Database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = FilePath }));
    }

    public string FilePath { get; }

    public SqliteDatabase Database { get; }

    /// <summary>A migrated database, ready for the stores.</summary>
    public static async Task<TempSqliteDatabase> MigratedAsync()
    {
        var temp = new TempSqliteDatabase();
        await temp.Database.MigrateAsync(CancellationToken.None);
        return temp;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        Database.Dispose(); // clears the connection pool, so the files are closed
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(FilePath + suffix);
        }
    }
}
