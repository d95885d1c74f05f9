using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
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
    // Keyed by a 128-bit digest of the signature rather than its text: one entry per handshake in the last ten
    // minutes is ~64 bytes instead of ~340 (a 128-digit string and its node), and a reconnect storm fills this.
    private readonly ConcurrentDictionary<UInt128, DateTimeOffset> _used = new();

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

        return ValueTask.FromResult(_used.TryAdd(Digest(signature), now + (2 * NodeLinkProtocol.MaxClockSkew)));
    }

    /// <summary>The first half of the SHA-256 of the signature in lower case (the same signature in any case is one).</summary>
    private static UInt128 Digest(string signature)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(signature.ToLowerInvariant()), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
