using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Infera.ServiceDefaults.Metrics;

/// <summary>
/// Collects this host's metrics in memory for <c>GET /metrics</c>: a <see cref="MeterListener"/> on the meters named
/// in <see cref="PrometheusMetricsOptions.MeterPrefixes"/>, aggregating each instrument per tag set, and writing the
/// Prometheus text format on demand. Meters made by another host's <see cref="IMeterFactory"/> in the same process
/// (tests run several) are not this host's and are left alone.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    /// <summary>The content type of the text exposition format 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener _listener;
    private readonly object? _scope;
    private readonly string[] _prefixes;
    private readonly ConcurrentDictionary<Instrument, MetricStream> _streams = new();
    private readonly Lock _scrape = new();

    public PrometheusMetrics(IMeterFactory meterFactory, IOptions<PrometheusMetricsOptions> options)
        : this(options.Value.MeterPrefixes, meterFactory)
    {
    }

    /// <summary>Listens to the meters whose names start with one of <paramref name="meterPrefixes"/> and whose scope is <paramref name="scope"/> or none.</summary>
    internal PrometheusMetrics(IEnumerable<string> meterPrefixes, object? scope)
    {
        _prefixes = [.. meterPrefixes];
        _scope = scope;
        _listener = new MeterListener { InstrumentPublished = OnPublished, MeasurementsCompleted = OnCompleted };
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricStream)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricStream)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Observes the observable instruments, then renders every family in the text format.</summary>
    public string Collect()
    {
        lock (_scrape)
        {
            foreach (var stream in _streams.Values.Where(s => s.Observable))
            {
                stream.BeginCollection();
            }

            _listener.RecordObservableInstruments();
            return PrometheusTextWriter.Write(_streams.Values);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        if ((meter.Scope is not null && !ReferenceEquals(meter.Scope, _scope))
            || !_prefixes.Any(p => meter.Name.StartsWith(p, StringComparison.Ordinal))
            || MetricStream.For(instrument) is not { } stream)
        {
            return;
        }

        _streams[instrument] = stream;
        listener.EnableMeasurementEvents(instrument, stream);
    }

    private void OnCompleted(Instrument instrument, object? state) => _streams.TryRemove(instrument, out _);
}
