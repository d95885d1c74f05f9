using Infera.NodeLink;
using Infera.Reputation;
using Infera.Storage;
using Infera.Storage.Sqlite;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.Storage;

public sealed class SqliteReputationStoreTests
{
    private const string Address = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_763_800_000_000);

    private static async Task<(TempSqliteDatabase Temp, SqliteReputationStore Store)> WithNodeAsync()
    {
        var temp = await TempSqliteDatabase.MigratedAsync();
        await new SqliteNodeStore(temp.Database).NodeOnlineAsync(
            new NodeRecord(Address, "ab", "ollama", [new ModelOffer("llama3")], new HardwareInfo(null, null, 8, 16_384), At),
            CancellationToken.None);
        return (temp, new SqliteReputationStore(temp.Database));
    }

    [Test]
    public async Task Node_never_scored_has_no_reputation()
    {
        var (temp, store) = await WithNodeAsync();
        using (temp)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(await store.GetAsync(Address, CancellationToken.None), Is.Null);
                Assert.That(await store.GetAsync("0x0000000000000000000000000000000000000001", CancellationToken.None), Is.Null);
            }
        }
    }

    [Test]
    public async Task Applied_change_sets_the_reputation_and_is_recorded_in_the_ledger()
    {
        var (temp, store) = await WithNodeAsync();
        using (temp)
        {
            await store.ApplyAsync(new ReputationChange(Address, "job-1", Outcomes.Agreed, 50, 55, "verdict agree", At), CancellationToken.None);
            await store.ApplyAsync(new ReputationChange(Address, null, Outcomes.Failed, 55, 49.5, "link lost", At.AddSeconds(1)), CancellationToken.None);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(await store.GetAsync(Address, CancellationToken.None), Is.EqualTo(49.5));
                Assert.That(await temp.ScalarAsync($"SELECT COUNT(*) FROM reputation_events WHERE node_address = '{Address}'"), Is.EqualTo(2));
            }
        }
    }

    [Test]
    public async Task Reputation_grain_starts_from_the_stored_value()
    {
        var (temp, store) = await WithNodeAsync();
        using (temp)
        {
            await store.ApplyAsync(new ReputationChange(Address, "job-1", Outcomes.Agreed, 50, 80, "seed", At), CancellationToken.None);
            var grain = new ReputationGrain(Address, store, new ReputationOptions(), new FakeTimeProvider());

            var after = await grain.RecordAsync(Outcomes.Disagreed, "job-2", "verdict disagree", CancellationToken.None);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(after, Is.EqualTo(72));
                Assert.That(await store.GetAsync(Address, CancellationToken.None), Is.EqualTo(72));
            }
        }
    }
}
