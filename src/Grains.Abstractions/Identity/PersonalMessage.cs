using System.Security.Cryptography;
using System.Text;

namespace Infera.Identity;

/// <summary>EIP-191 "personal_sign" messages: what a wallet shows and signs, so an operator's tools can check them too.</summary>
public static class PersonalMessage
{
    public static byte[] Hash(string message)
    {
        var body = Encoding.UTF8.GetBytes(message);
        var prefix = Encoding.ASCII.GetBytes($"\u0019Ethereum Signed Message:\n{body.Length}");
        return Keccak256.Hash([.. prefix, .. body]);
    }

    /// <summary>
    /// Checks an r || s signature of <paramref name="message"/> against a 64-byte public key, and that the key is
    /// <paramref name="claimed"/>'s. Malformed keys or signatures are a failed check, never an exception.
    /// </summary>
    public static bool Verify(string message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> publicKey, NodeAddress claimed)
    {
        if (signature.Length != 64 || publicKey.Length != 64 || NodeAddress.FromPublicKey(publicKey) != claimed)
        {
            return false;
        }

        try
        {
            using var key = ECDsa.Create(new ECParameters
            {
                Curve = NodeIdentity.Curve,
                Q = new ECPoint { X = publicKey[..32].ToArray(), Y = publicKey[32..].ToArray() },
            });
            return key.VerifyHash(Hash(message), signature);
        }
        catch (CryptographicException)
        {
            return false; // not a point on the curve
        }
    }
}
