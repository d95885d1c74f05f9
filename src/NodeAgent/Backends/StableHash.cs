using System.Buffers.Binary;
using System.Text;

namespace Infera.NodeAgent.Backends;

/// <summary>
/// 64-bit FNV-1a over UTF-8: the same value in every process and on every platform, unlike
/// <see cref="string.GetHashCode()"/>, which .NET randomises per process.
/// </summary>
internal struct StableHash
{
    private const ulong OffsetBasis = 0xCBF29CE484222325UL;
    private const ulong Prime = 0x100000001B3UL;

    private ulong _value;

    public StableHash() => _value = OffsetBasis;

    public readonly ulong Value => _value;

    public static ulong Of(string text)
    {
        var hash = new StableHash();
        hash.Add(text);
        return hash.Value;
    }

    public void Add(string text)
    {
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(buffer);
            AddBytes(buffer[..length]);
        }

        // A terminator keeps ("ab", "c") and ("a", "bc") apart.
        AddByte(0xFF);
    }

    public void Add(long number)
    {
        Span<byte> buffer = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, number);
        AddBytes(buffer);
    }

    private void AddBytes(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            AddByte(b);
        }
    }

    private void AddByte(byte b) => _value = (_value ^ b) * Prime;
}
