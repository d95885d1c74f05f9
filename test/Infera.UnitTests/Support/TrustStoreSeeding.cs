using Infera.Simulation;

namespace Infera.UnitTests.Support;

internal static class TrustStoreSeeding
{
    /// <summary>Stores a standing whose reputation is exactly <paramref name="reputation"/> (quality 1, agreement r/100).</summary>
    public static void Seed(this InMemoryTrustStore store, string address, double reputation) =>
        store.SaveAsync(TestNodes.Trust(address, reputation), [], CancellationToken.None).GetAwaiter().GetResult();
}
