using Infera.IntegrationTests.Support;
using Infera.Storage.Postgres;

namespace Infera.IntegrationTests.Storage;

public sealed class PostgresMigrationTests
{
    private static readonly string[] Tables = ["nodes", "jobs", "assignments", "verdicts", "node_trust", "trust_events", "api_keys", "silos"];

    private static int Embedded => PostgresDatabase.Migrations().Count;

    [Test]
    public async Task Migrating_twice_applies_each_migration_once()
    {
        await using var temp = await TempPostgresDatabase.CreateAsync();
        var database = temp.Open();

        var first = await database.MigrateAsync(CancellationToken.None);
        var second = await database.MigrateAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo(Embedded).And.GreaterThanOrEqualTo(1));
            Assert.That(second, Is.Zero);
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(Embedded));
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY(@names)", ("names", Tables)), Is.EqualTo(Tables.Length));
        }
    }

    [Test]
    public async Task Four_processes_migrating_a_fresh_database_at_once_apply_each_migration_once_without_error()
    {
        await using var temp = await TempPostgresDatabase.CreateAsync();
        // One PostgresDatabase each, with pools of their own, as four silos starting together would have.
        var processes = Enumerable.Range(0, 4).Select(i => temp.Open($"silo-{i}")).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var migrating = processes.Select(async p =>
        {
            await start.Task;
            return await p.MigrateAsync(CancellationToken.None);
        }).ToList();
        start.SetResult();
        var applied = await Task.WhenAll(migrating).WaitAsync(TimeSpan.FromSeconds(60));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(applied.Sum(), Is.EqualTo(Embedded), "each migration was applied by exactly one process");
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(Embedded));
            Assert.That(await temp.ScalarAsync("SELECT COUNT(DISTINCT version) FROM schema_migrations"), Is.EqualTo(Embedded));
        }
    }

    [Test]
    public void Embedded_migrations_are_numbered_files_in_order()
    {
        var migrations = PostgresDatabase.Migrations();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(migrations[0].Name, Is.EqualTo("0001_initial.sql"));
            Assert.That(migrations.Select(m => m.Version), Is.Ordered.Ascending.And.Unique);
            Assert.That(migrations.Select(m => m.Name), Has.All.Match(@"^\d{4}_[a-z0-9_]+\.sql$"));
        }
    }
}
