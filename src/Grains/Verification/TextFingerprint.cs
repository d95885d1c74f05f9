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

    public static TextFingerprint Of(string text)
    {
        var words = Tokenize(text);
        var signature = new ulong[Slots];
        Array.Fill(signature, ulong.MaxValue);
        for (var i = 0; i + 2 < words.Count || (i == 0 && words.Count > 0); i++)
        {
            var shingle = Hash(words[i]);
            if (i + 2 < words.Count)
            {
                shingle = Mix(Mix(shingle ^ Hash(words[i + 1])) ^ Hash(words[i + 2]));
            }

            for (var slot = 0; slot < Slots; slot++)
            {
                var h = Mix(shingle ^ (0x9E3779B97F4A7C15UL * (ulong)(slot + 1)));
                if (h < signature[slot])
                {
                    signature[slot] = h;
                }
            }

            if (i + 2 >= words.Count)
            {
                break;
            }
        }

        return new TextFingerprint(signature, words.Count);
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
