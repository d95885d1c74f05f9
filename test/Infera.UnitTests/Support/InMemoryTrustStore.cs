using System.Collections.Concurrent;
using Infera.Storage;
using Infera.Trust;

namespace Infera.UnitTests.Support;

/// <summary>Node standing by address, and the ledger of every change applied.</summary>
internal sealed class InMemoryTrustStore : ITrustStore
{
    private readonly ConcurrentDictionary<string, NodeTrust> _trust = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TrustEvent> _ledger = new();

    public IReadOnlyList<TrustEvent> Ledger => [.. _ledger];

    /// <summary>Stores a standing whose reputation is exactly <paramref name="reputation"/> (quality 1, agreement r/100).</summary>
    public void Seed(string address, double reputation) => _trust[address] = TestNodes.Trust(address, reputation);

    public NodeTrust? Get(string address) => _trust.GetValueOrDefault(address);

    public Task<NodeTrust?> GetAsync(string address, CancellationToken cancellationToken) => Task.FromResult(Get(address));

    public Task SaveAsync(NodeTrust trust, IReadOnlyList<TrustEvent> events, CancellationToken cancellationToken)
    {
        _trust[trust.Address] = trust;
        foreach (var e in events)
        {
            _ledger.Enqueue(e);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TrustEvent>> EventsAsync(string address, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TrustEvent>>([.. _ledger.Where(e => e.Address == address).Reverse().Take(limit)]);
}
