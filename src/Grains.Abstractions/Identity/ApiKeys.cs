using System.Security.Cryptography;
using System.Text;

namespace Infera.Identity;

/// <summary>Making and hashing API keys. Keys are 256-bit random; a fast hash is enough for them (no password stretching needed).</summary>
public static class ApiKeys
{
    public const string Prefix = "sk-infera-";

    public static string Generate() =>
        Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>What may be shown of a key: its first characters.</summary>
    public static string Display(string key) => key.Length <= 14 ? key : key[..14] + "…";
}
