using Infera.Tests.Shared;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Storage;

public sealed class SqliteMigrationTests
{
    [Test]
    public async Task Migrating_twice_applies_each_migration_once()
    {
        using var temp = new TempSqliteDatabase();

        var first = await temp.Database.MigrateAsync(CancellationToken.None);
        var second = await temp.Database.MigrateAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.GreaterThanOrEqualTo(1));
            Assert.That(second, Is.Zero);
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(first));
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('nodes', 'jobs', 'assignments', 'verdicts', 'node_trust', 'trust_events', 'api_keys')"), Is.EqualTo(7));
        }
    }

    [Test]
    public async Task Migrations_survive_reopening_the_file()
    {
        using var temp = new TempSqliteDatabase();
        await temp.Database.MigrateAsync(CancellationToken.None);

        using var reopened = new Infera.Storage.Sqlite.SqliteDatabase(
            Microsoft.Extensions.Options.Options.Create(new Infera.Storage.Sqlite.SqliteOptions { Path = temp.FilePath }));

        Assert.That(await reopened.MigrateAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task Database_uses_write_ahead_logging_so_readers_do_not_wait_for_a_save()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        await using var connection = await temp.Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("wal"));
    }
}
