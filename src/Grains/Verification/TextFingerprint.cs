namespace Infera.Verification;

/// <summary>
/// A whitespace- and case-blind MinHash of an output's word 3-shingles: two texts that share most of their wording
/// get signatures that agree in most slots, however their spacing was changed.
/// </summary>
public sealed class TextFingerprint
{
    public const int Slots = 64;

    private TextFingerprint(ulong[] signature, int words)
    {
        Signature = signature;
        Words = words;
    }

    public ulong[] Signature { get; }

    public int Words { get; }

    public static TextFingerprint Of(string text) => Of(Tokenize(text));

    /// <summary>The fingerprint of words already split by <see cref="Tokenize"/>.</summary>
    public static TextFingerprint Of(List<string> words)
    {
        var signature = new ulong[Slots];
        Array.Fill(signature, ulong.MaxValue);

        // One-permutation MinHash: each shingle is hashed once; its top bits pick a slot, which keeps its least hash.
        // (64 independent hashes per shingle cost 64 times as much for the same estimate.)
        var shingles = Math.Max(1, words.Count - 2);
        for (var i = 0; i < shingles && words.Count > 0; i++)
        {
            var shingle = Hash(words[i]);
            if (i + 2 < words.Count)
            {
                shingle = Mix(Mix(shingle ^ Hash(words[i + 1])) ^ Hash(words[i + 2]));
            }

            var h = Mix(shingle);
            var slot = (int)(h >> 58); // 6 bits: Slots == 64
            if (h < signature[slot])
            {
                signature[slot] = h;
            }
        }

        Densify(signature);
        return new TextFingerprint(signature, words.Count);
    }

    /// <summary>
    /// Fills slots no shingle fell into from the next filled slot, re-hashed with the slot's index, so short texts
    /// still compare slot by slot (the same rule for every text keeps equal texts equal).
    /// </summary>
    private static void Densify(ulong[] signature)
    {
        var filled = Array.FindIndex(signature, v => v != ulong.MaxValue);
        if (filled < 0)
        {
            return;
        }

        for (var slot = 0; slot < Slots; slot++)
        {
            if (signature[slot] != ulong.MaxValue)
            {
                continue;
            }

            // A deterministic rule is all that matters: two texts with the same shingles fill their gaps alike.
            var next = (slot + 1) % Slots;
            var hops = 1UL;
            while (signature[next] == ulong.MaxValue)
            {
                next = (next + 1) % Slots;
                hops++;
            }

            signature[slot] = Mix(signature[next] ^ (0x9E3779B97F4A7C15UL * hops));
        }
    }

    /// <summary>The estimated Jaccard similarity of the two texts' shingle sets.</summary>
    public double Similarity(TextFingerprint other)
    {
        var same = 0;
        for (var i = 0; i < Slots; i++)
        {
            same += Signature[i] == other.Signature[i] ? 1 : 0;
        }

        return (double)same / Slots;
    }

    /// <summary>Words, lower-cased, with punctuation and spacing dropped.</summary>
    public static List<string> Tokenize(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return words;
    }

    private static ulong Hash(string word)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }

    // splitmix64's finaliser: spreads every input bit over the output.
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
