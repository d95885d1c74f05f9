using Infera.Tests.Shared;
using Infera.Storage;
using Infera.Storage.Sqlite;
using Infera.UnitTests.Support;
using Microsoft.Data.Sqlite;

namespace Infera.UnitTests.Storage;

public sealed class SqliteGroupCommitTests
{
    private const string InsertKey = "INSERT INTO api_keys (id, name, tenant, key_hash, prefix, created_ms) VALUES ($id, 'n', 't', $hash, 'p', 0)";

    [Test]
    public async Task Concurrent_writes_all_commit_and_one_that_fails_is_rolled_back_alone()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        var keys = new SqliteApiKeyStore(temp.Database);
        var writes = Enumerable.Range(0, 100)
            .Select(i => keys.CreateAsync(new ApiKeyRecord($"key-{i}", "n", "t", $"hash-{i}", "p", DateTimeOffset.UnixEpoch), CancellationToken.None))
            .ToList();
        var failing = temp.Database.WriteAsync(async writer =>
        {
            var command = writer.Command("INSERT INTO api_keys (id, name, tenant, key_hash, prefix, created_ms) VALUES ('bad', 'n', 't', 'hash-bad', 'p', 0); INSERT INTO no_such_table VALUES (1);");
            return await command.ExecuteNonQueryAsync();
        }, CancellationToken.None);

        await Task.WhenAll(writes).WaitAsync(Waits.Default);
        Assert.That(() => failing, Throws.InstanceOf<SqliteException>());
        Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(100), "the failed write's first insert was undone, the others kept");
    }

    [Test]
    public async Task A_write_that_fails_alone_in_its_batch_leaves_nothing_and_the_next_write_commits()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();

        var failing = temp.Database.WriteAsync(async writer =>
        {
            var insert = writer.Command(InsertKey);
            insert.Set("$id", "first");
            insert.Set("$hash", "hash-first");
            await insert.ExecuteNonQueryAsync();
            insert = writer.Command(InsertKey);
            insert.Set("$id", "second");
            insert.Set("$hash", "hash-first"); // key_hash is unique
            return await insert.ExecuteNonQueryAsync();
        }, CancellationToken.None);
        Assert.That(() => failing.WaitAsync(Waits.Default), Throws.InstanceOf<SqliteException>());

        await new SqliteApiKeyStore(temp.Database).CreateAsync(new ApiKeyRecord("next", "n", "t", "hash-next", "p", DateTimeOffset.UnixEpoch), CancellationToken.None).WaitAsync(Waits.Default);
        Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(1), "the failed write's first insert was rolled back with its transaction");
    }

    [Test]
    public async Task A_command_is_prepared_once_and_its_parameters_must_be_set_again_on_each_use()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        var first = await temp.Database.WriteAsync(writer =>
        {
            var insert = writer.Command(InsertKey);
            insert.Set("$id", "a");
            insert.Set("$hash", "hash-a");
            insert.ExecuteNonQuery();
            return Task.FromResult(insert);
        }, CancellationToken.None).WaitAsync(Waits.Default);

        var again = temp.Database.WriteAsync(writer =>
        {
            var insert = writer.Command(InsertKey);
            Assert.That(insert, Is.SameAs(first), "the same SQL text gets the same command in a later batch");
            insert.Set("$id", "b"); // $hash left unset: it must not bind the last write's value
            return insert.ExecuteNonQueryAsync();
        }, CancellationToken.None);

        Assert.That(() => again.WaitAsync(Waits.Default), Throws.InstanceOf<InvalidOperationException>());
        Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(1));
    }
}
