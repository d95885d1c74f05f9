using Infera.Storage.Postgres;
using Infera.NodeLink;
using Infera.Silo.NodeLink;

namespace Infera.Silo.Cluster;

/// <summary>The cluster's guard: used signatures in PostgreSQL, so a hello accepted by one silo is refused by all.</summary>
internal sealed class PostgresHelloReplayGuard(ClusterStore store) : IHelloReplayGuard
{
    public async ValueTask<bool> TryUseAsync(string signature, CancellationToken cancellationToken) =>
        await store.TryUseSignatureAsync(signature.ToLowerInvariant(), 2 * NodeLinkProtocol.MaxClockSkew, cancellationToken);
}
