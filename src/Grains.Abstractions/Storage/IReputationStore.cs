namespace Infera.Storage;

/// <summary>Reputation per node and the ledger of every change, each with its reason and job.</summary>
public interface IReputationStore
{
    /// <summary>The node's reputation, or null for a node never scored.</summary>
    Task<double?> GetAsync(string address, CancellationToken cancellationToken);

    /// <summary>Records the change and sets the node's reputation to <see cref="ReputationChange.After"/>.</summary>
    Task ApplyAsync(ReputationChange change, CancellationToken cancellationToken);
}

/// <summary>One change to a node's reputation, with the outcome that caused it.</summary>
public sealed record ReputationChange(
    string Address,
    string? JobId,
    string Outcome,
    double Before,
    double After,
    string Reason,
    DateTimeOffset At);
