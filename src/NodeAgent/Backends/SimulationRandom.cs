namespace Infera.NodeAgent.Backends;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its seed forever, which <see cref="Random"/> does not
/// promise across .NET versions. Simulated nodes on different machines must produce the same text.
/// </summary>
internal sealed class SimulationRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>A number in [minInclusive, maxInclusive].</summary>
    public int Between(int minInclusive, int maxInclusive) => minInclusive + Next(maxInclusive - minInclusive + 1);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Between(double min, double max) => min + (NextDouble() * (max - min));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A random subset of <paramref name="fraction"/> of the items, in shuffled order.</summary>
    public string[] Subset(string[] items, double fraction)
    {
        var copy = (string[])items.Clone();
        for (var i = copy.Length - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy[..Math.Max(3, (int)(copy.Length * fraction))];
    }
}
