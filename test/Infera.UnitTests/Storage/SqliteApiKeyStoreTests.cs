using Infera.Tests.Shared;
using Infera.Identity;
using Infera.Storage;
using Infera.Storage.Sqlite;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Storage;

public sealed class SqliteApiKeyStoreTests
{
    private static ApiKeyRecord Record(string id, string key, string name = "ci") =>
        new(id, name, "tenant-a", ApiKeys.Hash(key), ApiKeys.Display(key), DateTimeOffset.FromUnixTimeMilliseconds(1_763_800_000_456));

    [Test]
    public async Task Created_key_is_found_by_its_hash()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        var store = new SqliteApiKeyStore(temp.Database);
        var key = ApiKeys.Generate();
        var record = Record("key-1", key);

        await store.CreateAsync(record, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await store.FindByHashAsync(ApiKeys.Hash(key), CancellationToken.None), Is.EqualTo(record));
            Assert.That(await store.FindByHashAsync(ApiKeys.Hash(ApiKeys.Generate()), CancellationToken.None), Is.Null);
            Assert.That(await temp.ScalarAsync($"SELECT COUNT(*) FROM api_keys WHERE key_hash = '{key}'"), Is.Zero, "the key itself is never stored");
        }
    }

    [Test]
    public async Task Key_whose_hash_is_already_stored_is_ignored()
    {
        using var temp = await TempSqliteDatabase.MigratedAsync();
        var store = new SqliteApiKeyStore(temp.Database);
        var key = ApiKeys.Generate();
        var original = Record("key-1", key, name: "first");

        await store.CreateAsync(original, CancellationToken.None);
        await store.CreateAsync(Record("key-2", key, name: "second"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await store.FindByHashAsync(ApiKeys.Hash(key), CancellationToken.None), Is.EqualTo(original));
            Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(1));
        }
    }
}
