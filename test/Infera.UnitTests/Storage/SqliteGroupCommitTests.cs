using Infera.Tests.Shared;
using Infera.Storage;
using Infera.Storage.Sqlite;
using Infera.UnitTests.Support;
using Microsoft.Data.Sqlite;

namespace Infera.UnitTests.Storage;

public sealed class SqliteGroupCommitTests
{
    [Test]
    public async Task Concurrent_writes_all_commit_and_one_that_fails_is_rolled_back_alone()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        var keys = new SqliteApiKeyStore(temp.Database);
        var writes = Enumerable.Range(0, 100)
            .Select(i => keys.CreateAsync(new ApiKeyRecord($"key-{i}", "n", "t", $"hash-{i}", "p", DateTimeOffset.UnixEpoch), CancellationToken.None))
            .ToList();
        var failing = temp.Database.WriteAsync<int>(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO api_keys (id, name, tenant, key_hash, prefix, created_ms) VALUES ('bad', 'n', 't', 'hash-bad', 'p', 0); INSERT INTO no_such_table VALUES (1);";
            return await command.ExecuteNonQueryAsync();
        }, CancellationToken.None);

        await Task.WhenAll(writes).WaitAsync(Waits.Default);
        Assert.That(() => failing, Throws.InstanceOf<SqliteException>());
        Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(100), "the failed write's first insert was undone, the others kept");
    }
}
