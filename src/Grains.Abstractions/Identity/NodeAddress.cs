using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Infera.Identity;

/// <summary>A node's identity on the network: the Ethereum address of its secp256k1 public key.</summary>
public readonly record struct NodeAddress
{
    private NodeAddress(string value) => Value = value;

    /// <summary>The address in EIP-55 mixed-case checksum form, with its 0x prefix.</summary>
    public string Value { get; }

    /// <summary>Derives the address from a 64-byte uncompressed public key (X || Y, no 0x04 prefix).</summary>
    public static NodeAddress FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 64)
        {
            throw new ArgumentException("A secp256k1 public key is 64 bytes (X || Y).", nameof(publicKey));
        }

        var hash = Keccak256.Hash(publicKey);
        return new NodeAddress(ToChecksum(Convert.ToHexStringLower(hash.AsSpan(12))));
    }

    /// <summary>Parses an address in any case; a mixed-case address must carry a valid EIP-55 checksum.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out NodeAddress address)
    {
        address = default;
        if (text is null || text.Length != 42 || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = text[2..];
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        var checksummed = ToChecksum(hex.ToLowerInvariant());
        var isMixedCase = hex.Any(char.IsAsciiLetterUpper) && hex.Any(char.IsAsciiLetterLower);
        if (isMixedCase && !string.Equals(checksummed[2..], hex, StringComparison.Ordinal))
        {
            return false;
        }

        address = new NodeAddress(checksummed);
        return true;
    }

    public static NodeAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an Ethereum address.");

    public override string ToString() => Value ?? string.Empty;

    // EIP-55: a hex letter is upper case where the matching nibble of keccak(lowercase hex) is >= 8.
    private static string ToChecksum(string lowerHex)
    {
        var hash = Keccak256.Hash(Encoding.ASCII.GetBytes(lowerHex));
        var builder = new StringBuilder("0x", 42);
        for (var i = 0; i < lowerHex.Length; i++)
        {
            var nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            builder.Append(nibble >= 8 ? char.ToUpperInvariant(lowerHex[i]) : lowerHex[i]);
        }

        return builder.ToString();
    }
}
