using Infera.Identity;
using Infera.Storage;

namespace Infera.IntegrationTests.Storage;

public abstract partial class StoreContract
{
    private static ApiKeyRecord Key(string id, string key, string name = "ci") =>
        new(id, name, "tenant-a", ApiKeys.Hash(key), ApiKeys.Display(key), DateTimeOffset.FromUnixTimeMilliseconds(1_763_800_000_456));

    [Test]
    public async Task Created_key_is_found_by_its_hash_with_its_tenant()
    {
        var key = ApiKeys.Generate();
        var record = Key("key-1", key);

        await Store.ApiKeys.CreateAsync(record, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Store.ApiKeys.FindByHashAsync(ApiKeys.Hash(key), CancellationToken.None), Is.EqualTo(record));
            Assert.That(await Store.ApiKeys.FindByHashAsync(ApiKeys.Hash(ApiKeys.Generate()), CancellationToken.None), Is.Null);
            Assert.That(await Store.CountAsync($"SELECT COUNT(*) FROM api_keys WHERE key_hash = '{key}'"), Is.Zero, "the key itself is never stored");
        }
    }

    [Test]
    public async Task Key_whose_hash_is_already_stored_is_left_as_it_is()
    {
        var key = ApiKeys.Generate();
        var original = Key("key-1", key, name: "first");

        await Store.ApiKeys.CreateAsync(original, CancellationToken.None);
        await Store.ApiKeys.CreateAsync(Key("key-2", key, name: "second"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Store.ApiKeys.FindByHashAsync(ApiKeys.Hash(key), CancellationToken.None), Is.EqualTo(original));
            Assert.That(await Store.CountAsync("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Revoked_key_is_not_found()
    {
        var key = ApiKeys.Generate();
        await Store.ApiKeys.CreateAsync(Key("key-1", key), CancellationToken.None);

        await Store.RevokeKeyAsync(ApiKeys.Hash(key));

        Assert.That(await Store.ApiKeys.FindByHashAsync(ApiKeys.Hash(key), CancellationToken.None), Is.Null);
    }
}
