using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Infera.ServiceDefaults.Metrics;

/// <summary>How an instrument reads in Prometheus.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One instrument's series, one per distinct tag set, and how its measurements aggregate.</summary>
internal sealed class MetricStream
{
    /// <summary>Series per instrument before new tag sets fold into one overflow series (OpenTelemetry's default cap).</summary>
    public const int MaxSeries = 2000;

    /// <summary>Bucket bounds for histograms in seconds that give no advice of their own.</summary>
    public static readonly double[] SecondsBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>OpenTelemetry's default bounds, for histograms of other units.</summary>
    public static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private static readonly KeyValuePair<string, object?>[] OverflowTags = [new("otel.metric.overflow", true)];

    private readonly ConcurrentDictionary<int, Series> _byHash = new();
    private readonly Lock _gate = new();
    private Series[] _all = [];
    private Series? _overflow;
    private int _collection;

    private MetricStream(Instrument instrument, MetricKind kind, bool observable, bool lastValue, double[] bounds)
    {
        Instrument = instrument;
        Kind = kind;
        Observable = observable;
        LastValue = lastValue;
        Bounds = bounds;
        Name = PrometheusNames.MetricName(instrument.Name, instrument.Unit, kind);
        Help = string.IsNullOrWhiteSpace(instrument.Description) ? $"{instrument.Name} ({instrument.Meter.Name})" : instrument.Description;
    }

    public Instrument Instrument { get; }

    /// <summary>The Prometheus family name.</summary>
    public string Name { get; }

    public string Help { get; }

    public MetricKind Kind { get; }

    /// <summary>Reported by a callback at each scrape; only the series reported in the latest one are current.</summary>
    public bool Observable { get; }

    /// <summary>A measurement replaces the value (gauges, observed totals) rather than adding to it.</summary>
    public bool LastValue { get; }

    /// <summary>Histogram bucket upper bounds, without +Inf; empty for other kinds.</summary>
    public double[] Bounds { get; }

    /// <summary>The collection number that <see cref="BeginCollection"/> last started.</summary>
    public int Collection => Volatile.Read(ref _collection);

    public IReadOnlyList<Series> Series => Volatile.Read(ref _all);

    /// <summary>The stream for an instrument, or null for a kind of instrument it does not know.</summary>
    public static MetricStream? For(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition switch
        {
            _ when definition == typeof(Counter<>) => new(instrument, MetricKind.Counter, observable: false, lastValue: false, []),
            _ when definition == typeof(ObservableCounter<>) => new(instrument, MetricKind.Counter, observable: true, lastValue: true, []),
            _ when definition == typeof(UpDownCounter<>) => new(instrument, MetricKind.Gauge, observable: false, lastValue: false, []),
            _ when definition == typeof(ObservableUpDownCounter<>) => new(instrument, MetricKind.Gauge, observable: true, lastValue: true, []),
            _ when definition == typeof(ObservableGauge<>) => new(instrument, MetricKind.Gauge, observable: true, lastValue: true, []),
            _ when definition == typeof(Gauge<>) => new(instrument, MetricKind.Gauge, observable: false, lastValue: true, []),
            _ when definition == typeof(Histogram<>) => new(instrument, MetricKind.Histogram, observable: false, lastValue: false, BoundsOf(instrument)),
            _ => null,
        };
    }

    /// <summary>Starts a scrape's observation: series not reported from now on are left out of it.</summary>
    public void BeginCollection() => Interlocked.Increment(ref _collection);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var series = Find(tags) ?? Create(tags);
        if (Kind == MetricKind.Histogram)
        {
            series.Observe(value, Bounds);
        }
        else if (LastValue)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }

        if (Observable)
        {
            series.ObservedIn = Collection;
        }
    }

    private Series? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_byHash.TryGetValue(Metrics.Series.HashOf(tags), out var candidate))
        {
            for (; candidate is not null; candidate = candidate.Next)
            {
                if (candidate.Matches(tags))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private Series Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            if (Find(tags) is { } raced)
            {
                return raced;
            }

            var buckets = Kind == MetricKind.Histogram ? Bounds.Length + 1 : 0;
            if (_all.Length >= MaxSeries)
            {
                return _overflow ??= Publish(new Series(OverflowTags, 0, null, buckets));
            }

            var hash = Metrics.Series.HashOf(tags);
            _byHash.TryGetValue(hash, out var sameHash);
            var series = Publish(new Series(tags.ToArray(), hash, sameHash, buckets));
            _byHash[hash] = series; // the new head of the chain; readers that missed it come here and find it
            return series;
        }
    }

    private Series Publish(Series series)
    {
        Volatile.Write(ref _all, [.. _all, series]);
        return series;
    }

    /// <summary>The instrument's advised buckets, else ones that suit its unit.</summary>
    private static double[] BoundsOf(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        var bounds = advised?.Where(double.IsFinite).Distinct().Order().ToArray();
        if (bounds is { Length: > 0 })
        {
            return bounds;
        }

        return instrument.Unit == "s" ? SecondsBounds : DefaultBounds;
    }
}
