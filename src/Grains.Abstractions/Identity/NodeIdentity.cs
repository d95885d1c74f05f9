using System.Security.Cryptography;

namespace Infera.Identity;

/// <summary>A node's secp256k1 key pair. Signing uses the platform's ECDSA (OpenSSL).</summary>
public sealed class NodeIdentity : IDisposable
{
    private readonly ECDsa _key;

    private NodeIdentity(ECDsa key)
    {
        _key = key;
        var parameters = key.ExportParameters(includePrivateParameters: false);
        PublicKey = [.. parameters.Q.X!, .. parameters.Q.Y!];
        Address = NodeAddress.FromPublicKey(PublicKey);
    }

    public static ECCurve Curve { get; } = ECCurve.CreateFromFriendlyName("secP256k1");

    /// <summary>64 bytes: X || Y.</summary>
    public byte[] PublicKey { get; }

    public NodeAddress Address { get; }

    public static NodeIdentity Create() => new(ECDsa.Create(Curve));

    /// <summary>Loads a 32-byte private key; the public key is derived from it.</summary>
    public static NodeIdentity FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
        {
            throw new ArgumentException("A secp256k1 private key is 32 bytes.", nameof(privateKey));
        }

        return new NodeIdentity(ECDsa.Create(new ECParameters { Curve = Curve, D = privateKey.ToArray() }));
    }

    public byte[] ExportPrivateKey() => _key.ExportParameters(includePrivateParameters: true).D!;

    /// <summary>Signs an EIP-191 personal message; returns r || s (64 bytes).</summary>
    public byte[] SignMessage(string message) => _key.SignHash(PersonalMessage.Hash(message));

    public void Dispose() => _key.Dispose();
}
