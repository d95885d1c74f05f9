using Infera.Storage;
using Infera.Trust;

namespace Infera.Simulation;

/// <summary>Node standing by address, and the ledger of every change applied, in order.</summary>
public sealed class InMemoryTrustStore : ITrustStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeTrust> _trust = new(StringComparer.Ordinal);
    private readonly List<TrustEvent> _ledger = [];

    public IReadOnlyList<TrustEvent> Ledger
    {
        get
        {
            lock (_lock)
            {
                return [.. _ledger];
            }
        }
    }

    public NodeTrust? Get(string address)
    {
        lock (_lock)
        {
            return _trust.GetValueOrDefault(address);
        }
    }

    public Task<NodeTrust?> GetAsync(string address, CancellationToken cancellationToken) => Task.FromResult(Get(address));

    public Task SaveAsync(NodeTrust trust, IReadOnlyList<TrustEvent> events, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _trust[trust.Address] = trust;
            _ledger.AddRange(events);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TrustEvent>> EventsAsync(string address, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<TrustEvent>>(
                [.. _ledger.Where(e => string.Equals(e.Address, address, StringComparison.Ordinal)).Reverse().Take(limit)]);
        }
    }
}
