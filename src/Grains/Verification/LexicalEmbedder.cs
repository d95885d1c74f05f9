using System.Numerics.Tensors;

namespace Infera.Verification;

/// <summary>
/// An embedding that needs no model weights: word unigrams and bigrams, hashed with random signs into a fixed number
/// of dimensions (the "hashing trick"), weighted by 1 + log(tf) and L2-normalised. Paraphrase-blind, but cheap, and it
/// separates "the same answer with sampling noise" from "a different answer" well.
/// </summary>
public sealed class LexicalEmbedder(int dimensions = 1024) : IEmbedder
{
    public string Method => "lexical-cosine";

    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Task.FromResult(texts.Select(Embed).ToArray());

    public float[] Embed(string text)
    {
        var counts = new Dictionary<int, int>();
        ulong previous = 0;
        var havePrevious = false;
        foreach (var word in Words(text))
        {
            var hash = Fnv1a(word);
            Add(counts, hash);
            if (havePrevious)
            {
                Add(counts, (previous * 0x100000001B3UL) ^ hash ^ 0x9E3779B97F4A7C15UL);
            }

            previous = hash;
            havePrevious = true;
        }

        var vector = new float[dimensions];
        foreach (var (slot, count) in counts)
        {
            var index = slot & int.MaxValue;
            var sign = (slot & int.MinValue) == 0 ? 1f : -1f;
            vector[index % dimensions] += sign * (1f + MathF.Log(count));
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    private static void Add(Dictionary<int, int> counts, ulong hash)
    {
        // The low bits choose the dimension; one high bit chooses the sign, so collisions cancel rather than pile up.
        var slot = (int)(uint)(hash ^ (hash >> 32));
        counts[slot] = counts.GetValueOrDefault(slot) + 1;
    }

    private static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    private static ulong Fnv1a(string word)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }
}
