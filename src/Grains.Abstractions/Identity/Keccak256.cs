using Org.BouncyCastle.Crypto.Digests;

namespace Infera.Identity;

/// <summary>Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256).</summary>
public static class Keccak256
{
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        foreach (var b in data)
        {
            digest.Update(b);
        }

        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return hash;
    }
}
