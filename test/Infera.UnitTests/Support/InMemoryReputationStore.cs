using System.Collections.Concurrent;
using Infera.Storage;

namespace Infera.UnitTests.Support;

/// <summary>Reputation by address, and the ledger of every change applied.</summary>
internal sealed class InMemoryReputationStore : IReputationStore
{
    private readonly ConcurrentDictionary<string, double> _reputation = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReputationChange> _ledger = new();

    public IReadOnlyList<ReputationChange> Ledger => [.. _ledger];

    public void Seed(string address, double reputation) => _reputation[address] = reputation;

    public Task<double?> GetAsync(string address, CancellationToken cancellationToken) =>
        Task.FromResult<double?>(_reputation.TryGetValue(address, out var value) ? value : null);

    public Task ApplyAsync(ReputationChange change, CancellationToken cancellationToken)
    {
        _ledger.Enqueue(change);
        _reputation[change.Address] = change.After;
        return Task.CompletedTask;
    }
}
