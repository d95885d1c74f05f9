namespace Infera.Storage;

/// <summary>API keys, kept only as SHA-256 hashes.</summary>
public interface IApiKeyStore
{
    Task<ApiKeyRecord?> FindByHashAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>Stores a key; a key whose hash is already stored is left as it is.</summary>
    Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken);
}

/// <summary>A stored API key: its hash, never the key. <see cref="Tenant"/> scopes what the key can see.</summary>
public sealed record ApiKeyRecord(string Id, string Name, string Tenant, string KeyHash, string Prefix, DateTimeOffset CreatedAt)
{
    /// <summary>The record to store for <paramref name="key"/>: a new id, its hash and display prefix. No tenant: a tenant of its own.</summary>
    public static ApiKeyRecord For(string key, string name, string? tenant, DateTimeOffset createdAt)
    {
        var id = "key-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        return new ApiKeyRecord(id, name, tenant ?? id, Identity.ApiKeys.Hash(key), Identity.ApiKeys.Display(key), createdAt);
    }
}
