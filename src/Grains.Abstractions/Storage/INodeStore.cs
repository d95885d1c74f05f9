using Infera.NodeLink;

namespace Infera.Storage;

/// <summary>Every node ever seen: identity, what it offered, when it was last online.</summary>
public interface INodeStore
{
    /// <summary>Records the node online; returns when it was first seen and how long it was online before.</summary>
    Task<(DateTimeOffset FirstSeen, TimeSpan OnlineBefore)> NodeOnlineAsync(NodeRecord node, CancellationToken cancellationToken);

    /// <summary>Records the node offline, adding the session just ended to its time online.</summary>
    Task NodeOfflineAsync(string address, DateTimeOffset at, CancellationToken cancellationToken);
}

public sealed record NodeRecord(
    string Address,
    string PublicKey,
    string Backend,
    IReadOnlyList<ModelOffer> Models,
    HardwareInfo Hardware,
    DateTimeOffset SeenAt);
