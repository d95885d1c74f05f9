namespace Infera.Storage;

/// <summary>API keys, kept only as SHA-256 hashes.</summary>
public interface IApiKeyStore
{
    Task<ApiKeyRecord?> FindByHashAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>Stores a key; a key whose hash is already stored is left as it is.</summary>
    Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken);
}

/// <summary>A stored API key: its hash, never the key. <see cref="Tenant"/> scopes what the key can see.</summary>
public sealed record ApiKeyRecord(string Id, string Name, string Tenant, string KeyHash, string Prefix, DateTimeOffset CreatedAt);
