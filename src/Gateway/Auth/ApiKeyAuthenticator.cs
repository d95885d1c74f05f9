using System.Collections.Concurrent;
using Infera.Identity;
using Infera.Storage;

namespace Infera.Gateway.Auth;

/// <summary>
/// Resolves a bearer key to its stored record by hash. Answers are cached briefly (hits for a minute, misses for a
/// few seconds) so a request costs no store round trip, while a new key works almost at once.
/// </summary>
public sealed class ApiKeyAuthenticator(IApiKeyStore store, TimeProvider clock)
{
    private static readonly TimeSpan HitLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(5);
    private const int MaxCachedKeys = 100_000;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Key, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<ApiKeyRecord?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeys.Hash(key);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Expires > now)
        {
            return cached.Key;
        }

        var record = await store.FindByHashAsync(hash, cancellationToken);
        if (_cache.Count >= MaxCachedKeys)
        {
            _cache.Clear(); // a flood of random keys must not grow memory without bound
        }

        _cache[hash] = (record, now + (record is null ? MissLifetime : HitLifetime));
        return record;
    }
}
