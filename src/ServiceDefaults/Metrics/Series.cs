namespace Infera.ServiceDefaults.Metrics;

/// <summary>
/// One tag set's running value: a sum (counters, up-down counters), a last value (gauges, observed instruments) or
/// bucket counts (histograms). Recording takes no allocation: sums use a compare-and-swap, histograms a short lock.
/// </summary>
internal sealed class Series
{
    private readonly long[]? _buckets;
    private readonly Lock? _gate;
    private long _valueBits; // a double, kept as bits so Interlocked can swap it
    private double _sum;
    private long _count;

    public Series(KeyValuePair<string, object?>[] tags, int hash, Series? next, int buckets)
    {
        Tags = tags;
        Hash = hash;
        Next = next;
        if (buckets > 0)
        {
            _buckets = new long[buckets];
            _gate = new Lock();
        }
    }

    public KeyValuePair<string, object?>[] Tags { get; }

    public int Hash { get; }

    /// <summary>The next series whose tags hash alike.</summary>
    public Series? Next { get; }

    /// <summary>The collection in which an observable instrument last reported this series.</summary>
    public int ObservedIn { get; set; }

    /// <summary>The tags rendered as Prometheus labels, set on first scrape (tags never change).</summary>
    public string? Labels { get; set; }

    public double Value => BitConverter.Int64BitsToDouble(Volatile.Read(ref _valueBits));

    public void Add(double value)
    {
        long seen, next;
        do
        {
            seen = Volatile.Read(ref _valueBits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
        }
        while (Interlocked.CompareExchange(ref _valueBits, next, seen) != seen);
    }

    public void Set(double value) => Volatile.Write(ref _valueBits, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Counts a histogram measurement in the first bucket whose upper bound (inclusive) holds it.</summary>
    public void Observe(double value, double[] bounds)
    {
        var bucket = 0;
        while (bucket < bounds.Length && value > bounds[bucket])
        {
            bucket++;
        }

        lock (_gate!)
        {
            _buckets![bucket]++;
            _sum += value;
            _count++;
        }
    }

    /// <summary>Adds this histogram's buckets (not cumulative), sum and count to <paramref name="into"/>.</summary>
    public void AddHistogramTo(HistogramTotals into)
    {
        lock (_gate!)
        {
            for (var i = 0; i < _buckets!.Length; i++)
            {
                into.Buckets[i] += _buckets[i];
            }

            into.Sum += _sum;
            into.Count += _count;
        }
    }

    /// <summary>True when the measurement's tags are this series' tags, in any order.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != Tags.Length)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (!Contains(tag))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A hash of the tags that does not depend on their order.</summary>
    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash += HashCode.Combine(tag.Key, tag.Value);
        }

        return hash;
    }

    private bool Contains(KeyValuePair<string, object?> tag)
    {
        foreach (var own in Tags)
        {
            if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal) && Equals(own.Value, tag.Value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A histogram's totals at one scrape, summed over the series that render to the same labels.</summary>
internal sealed class HistogramTotals(int buckets)
{
    public long[] Buckets { get; } = new long[buckets];

    public double Sum { get; set; }

    public long Count { get; set; }
}
