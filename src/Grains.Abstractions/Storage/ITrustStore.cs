using Infera.Trust;

namespace Infera.Storage;

/// <summary>Each node's standing and the ledger of every change to it, with its reason and job.</summary>
public interface ITrustStore
{
    /// <summary>The node's standing, or null for a node never scored.</summary>
    Task<NodeTrust?> GetAsync(string address, CancellationToken cancellationToken);

    /// <summary>Saves the standing and appends its ledger lines, in one transaction.</summary>
    Task SaveAsync(NodeTrust trust, IReadOnlyList<TrustEvent> events, CancellationToken cancellationToken);

    /// <summary>The node's most recent ledger lines, newest first.</summary>
    Task<IReadOnlyList<TrustEvent>> EventsAsync(string address, int limit, CancellationToken cancellationToken);
}
