using System.Diagnostics.Metrics;
using Infera.ServiceDefaults.Metrics;
using Infera.Tests.Shared;

namespace Infera.UnitTests.Telemetry;

/// <summary>The /metrics collector against meters of its own scope: aggregation and the text it writes.</summary>
public sealed class PrometheusMetricsTests : IDisposable
{
    private readonly object _scope = new();
    private readonly Meter _meter;
    private readonly PrometheusMetrics _metrics;

    public PrometheusMetricsTests()
    {
        _meter = new Meter(new MeterOptions("Infera.Test") { Scope = _scope });
        _metrics = new PrometheusMetrics(["Infera.Test"], _scope);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _meter.Dispose();
    }

    [Test]
    public void Counter_sums_per_tag_set_whatever_the_order_of_the_tags()
    {
        var counter = _meter.CreateCounter<long>("test.requests", "{request}", "Requests served.");
        counter.Add(1, new("a", "x"), new("b", "y"));
        counter.Add(2, new("b", "y"), new("a", "x"));
        counter.Add(5, new KeyValuePair<string, object?>("a", "z"));

        Assert.That(_metrics.Collect(), Is.EqualTo(
            """
            # HELP test_requests_total Requests served.
            # TYPE test_requests_total counter
            test_requests_total{a="x",b="y"} 3
            test_requests_total{a="z"} 5

            """));
    }

    [Test]
    public void Histogram_writes_cumulative_buckets_with_inclusive_upper_bounds_then_sum_and_count()
    {
        var histogram = _meter.CreateHistogram<double>("test.latency", "s", "Latency.");
        foreach (var seconds in new[] { 0.5, 0.5, 2, 20 })
        {
            histogram.Record(seconds, new KeyValuePair<string, object?>("route", "/v1"));
        }

        Assert.That(_metrics.Collect(), Is.EqualTo(
            """
            # HELP test_latency_seconds Latency.
            # TYPE test_latency_seconds histogram
            test_latency_seconds_bucket{route="/v1",le="0.001"} 0
            test_latency_seconds_bucket{route="/v1",le="0.0025"} 0
            test_latency_seconds_bucket{route="/v1",le="0.005"} 0
            test_latency_seconds_bucket{route="/v1",le="0.01"} 0
            test_latency_seconds_bucket{route="/v1",le="0.025"} 0
            test_latency_seconds_bucket{route="/v1",le="0.05"} 0
            test_latency_seconds_bucket{route="/v1",le="0.1"} 0
            test_latency_seconds_bucket{route="/v1",le="0.25"} 0
            test_latency_seconds_bucket{route="/v1",le="0.5"} 2
            test_latency_seconds_bucket{route="/v1",le="1"} 2
            test_latency_seconds_bucket{route="/v1",le="2.5"} 3
            test_latency_seconds_bucket{route="/v1",le="5"} 3
            test_latency_seconds_bucket{route="/v1",le="10"} 3
            test_latency_seconds_bucket{route="/v1",le="+Inf"} 4
            test_latency_seconds_sum{route="/v1"} 23
            test_latency_seconds_count{route="/v1"} 4

            """));
    }

    [Test]
    public void Histogram_uses_the_bucket_boundaries_its_instrument_advises()
    {
        var histogram = _meter.CreateHistogram("test.size", "By", "Sizes.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [100, 1000] });
        histogram.Record(150);

        Assert.That(_metrics.Collect(), Does.Contain("test_size_bytes_bucket{le=\"100\"} 0\ntest_size_bytes_bucket{le=\"1000\"} 1\ntest_size_bytes_bucket{le=\"+Inf\"} 1\n"));
    }

    [Test]
    public void Up_down_counter_is_a_gauge_of_its_running_sum()
    {
        var connections = _meter.CreateUpDownCounter<int>("test.connections", "{connection}", "Open connections.");
        connections.Add(3);
        connections.Add(-1);

        Assert.That(_metrics.Collect(), Is.EqualTo(
            """
            # HELP test_connections Open connections.
            # TYPE test_connections gauge
            test_connections 2

            """));
    }

    [Test]
    public void Observable_instruments_are_read_at_each_scrape_and_series_no_longer_reported_drop_out()
    {
        var queues = new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 4, ["b"] = 7 };
        _meter.CreateObservableGauge("test.queue.depth", () => queues.Select(q => new Measurement<int>(q.Value, new KeyValuePair<string, object?>("queue", q.Key))), "{item}", "Queue depth.");
        _meter.CreateObservableCounter("test.bytes.read", () => 1024L, "By", "Bytes read.");

        var first = _metrics.Collect();
        queues.Remove("a");
        queues["b"] = 9;
        var second = _metrics.Collect();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Does.Contain("test_queue_depth{queue=\"a\"} 4\ntest_queue_depth{queue=\"b\"} 7\n"));
            Assert.That(first, Does.Contain("# TYPE test_bytes_read_bytes_total counter\ntest_bytes_read_bytes_total 1024\n"));
            Assert.That(second, Does.Not.Contain("queue=\"a\""));
            Assert.That(second, Does.Contain("test_queue_depth{queue=\"b\"} 9\n"));
            Assert.That(second, Does.Contain("test_bytes_read_bytes_total 1024\n"), "an observed total is its value, not a sum over scrapes");
        }
    }

    [Test]
    public void Label_values_and_help_are_escaped_and_tag_names_sanitized()
    {
        var counter = _meter.CreateCounter<long>("test.escapes", null, "Backslash \\ and\nnewline.");
        counter.Add(1, new("http.route", "a\\b\"c\nd"), new("0day", 42), new("none", null));

        Assert.That(_metrics.Collect(), Is.EqualTo(
            """
            # HELP test_escapes_total Backslash \\ and\nnewline.
            # TYPE test_escapes_total counter
            test_escapes_total{http_route="a\\b\"c\nd",key_0day="42"} 1

            """));
    }

    [Test]
    public void Meters_of_another_host_are_left_out_and_unscoped_meters_are_included()
    {
        using var otherHost = new Meter(new MeterOptions("Infera.Test") { Scope = new object() });
        using var unscoped = new Meter("Infera.Test.Static");
        using var unrelated = new Meter(new MeterOptions("Other.Library") { Scope = _scope });
        otherHost.CreateCounter<long>("test.other_host").Add(1);
        unscoped.CreateCounter<long>("test.unscoped").Add(1);
        unrelated.CreateCounter<long>("test.unrelated").Add(1);

        var text = _metrics.Collect();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Not.Contain("test_other_host"));
            Assert.That(text, Does.Contain("test_unscoped_total 1\n"));
            Assert.That(text, Does.Not.Contain("test_unrelated"));
        }
    }

    [Test]
    public void Measurements_from_many_threads_are_all_counted()
    {
        var counter = _meter.CreateCounter<double>("test.parallel");
        var histogram = _meter.CreateHistogram<long>("test.parallel.sizes", "By");
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("k", "v"));
                histogram.Record(10);
            }
        });

        var text = _metrics.Collect();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("test_parallel_total{k=\"v\"} 200000\n"));
            Assert.That(text, Does.Contain("test_parallel_sizes_bytes_count 200000\n"));
            Assert.That(text, Does.Contain("test_parallel_sizes_bytes_sum 2000000\n"));
        }
    }

    [Test]
    public void Recording_on_a_known_tag_set_allocates_nothing()
    {
        var counter = _meter.CreateCounter<long>("test.hot");
        var histogram = _meter.CreateHistogram<double>("test.hot.latency", "s");
        KeyValuePair<string, object?> a = new("a", "x"), b = new("b", "y"), c = new("c", "z");
        counter.Add(1, a, b, c);
        histogram.Record(0.1, a, b, c);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            counter.Add(1, a, b, c);
            histogram.Record(0.1, a, b, c);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1024), "bytes allocated by 20,000 measurements");
    }

    [Test]
    public void New_tag_sets_past_the_cap_fold_into_one_overflow_series()
    {
        var counter = _meter.CreateCounter<long>("test.cardinality");
        for (var i = 0; i < MetricStream.MaxSeries + 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("id", i));
        }

        var samples = _metrics.Collect().Split('\n').Where(l => l.StartsWith("test_cardinality_total", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(samples, Has.Count.EqualTo(MetricStream.MaxSeries + 1));
            Assert.That(samples, Does.Contain("test_cardinality_total{otel_metric_overflow=\"true\"} 10"));
        }
    }

    [Test]
    public async Task Every_kind_of_instrument_reads_as_valid_lint_clean_exposition_to_promtool()
    {
        _meter.CreateCounter<long>("test.jobs.completed", "{job}", "Jobs.").Add(2, new("outcome", "completed"), new("error.type", "a\\b\"c\nd"));
        _meter.CreateCounter<double>("test.cpu.time", "s", "CPU.").Add(0.25);
        _meter.CreateUpDownCounter<long>("test.node.connections", "{connection}", "Links.").Add(3);
        _meter.CreateHistogram<double>("test.request.duration", "s", "Requests.").Record(0.02, new KeyValuePair<string, object?>("http.route", "/v1/chat/completions"));
        _meter.CreateHistogram<int>("test.payload", "By", "Payloads.").Record(700);
        _meter.CreateObservableGauge("test.utilization", () => 0.5, "1", "Utilization.");
        _meter.CreateObservableUpDownCounter("test.memory", () => 4096L, "By", "Memory.");
        _meter.CreateObservableCounter("test.gc", () => 3, "{collection}", description: null);
        _meter.CreateGauge<double>("test.temperature", "Cel", "Temperature.").Record(21.5);

        var text = _metrics.Collect();
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);

        Assert.That(exitCode, Is.Zero, $"promtool check metrics said:\n{output}\n\non:\n{text}");
        Assert.That(text, Does.Contain("# HELP test_gc_total test.gc (Infera.Test)\n"), "an instrument without a description still gets help text");
    }
}
