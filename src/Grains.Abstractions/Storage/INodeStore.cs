using Infera.NodeLink;

namespace Infera.Storage;

/// <summary>Every node ever seen: identity, what it offered, when it was last online.</summary>
public interface INodeStore
{
    Task NodeOnlineAsync(NodeRecord node, CancellationToken cancellationToken);

    Task NodeOfflineAsync(string address, DateTimeOffset at, CancellationToken cancellationToken);
}

public sealed record NodeRecord(
    string Address,
    string PublicKey,
    string Backend,
    IReadOnlyList<ModelOffer> Models,
    HardwareInfo Hardware,
    DateTimeOffset SeenAt);
