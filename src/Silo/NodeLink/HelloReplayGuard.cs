using System.Collections.Concurrent;
using Infera.NodeLink;

namespace Infera.Silo.NodeLink;

/// <summary>
/// Refuses a hello whose signature was accepted before. Each challenge's nonce is fresh, so a replay already fails the
/// signature check; this is the second lock, and in a cluster it spans every silo.
/// </summary>
public interface IHelloReplayGuard
{
    /// <summary>Records the signature as used; false when it was used before.</summary>
    ValueTask<bool> TryUseAsync(string signature, CancellationToken cancellationToken);
}

/// <summary>The embedded silo's guard: signatures in memory until they could no longer pass the clock-skew check.</summary>
internal sealed class InMemoryHelloReplayGuard(TimeProvider clock) : IHelloReplayGuard
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask<bool> TryUseAsync(string signature, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_used.Count > 10_000)
        {
            foreach (var (key, expires) in _used)
            {
                if (expires < now)
                {
                    _used.TryRemove(key, out _);
                }
            }
        }

        return ValueTask.FromResult(_used.TryAdd(signature, now + (2 * NodeLinkProtocol.MaxClockSkew)));
    }
}
