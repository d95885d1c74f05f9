using Infera.ServiceDefaults.Metrics;

namespace Infera.UnitTests.Telemetry;

public sealed class PrometheusNamesTests
{
    [TestCase("http.server.request.duration", "s", "Histogram", "http_server_request_duration_seconds")]
    [TestCase("infera.jobs.completed", "{job}", "Counter", "infera_jobs_completed_total")]
    [TestCase("infera.node.connections", "{connection}", "Gauge", "infera_node_connections")]
    [TestCase("process.memory.usage", "By", "Gauge", "process_memory_usage_bytes")]
    [TestCase("dotnet.gc.heap.total_allocated", "By", "Counter", "dotnet_gc_heap_total_allocated_bytes_total")]
    [TestCase("cache.hit_ratio", "1", "Gauge", "cache_hit_ratio")]
    [TestCase("errors", "1", "Counter", "errors_total")]
    [TestCase("tokens.rate", "{token}/s", "Gauge", "tokens_rate_per_second")]
    [TestCase("throughput", "By/s", "Gauge", "throughput_bytes_per_second")]
    [TestCase("requests.total", "{request}", "Counter", "requests_total")]
    [TestCase("cpu.time.total", "s", "Counter", "cpu_time_seconds_total")]
    [TestCase("queue.wait_seconds", "s", "Histogram", "queue_wait_seconds")]
    [TestCase("weird--name..x", null, "Gauge", "weird_name_x")]
    [TestCase("2xx.responses", null, "Counter", "_2xx_responses_total")]
    [TestCase("ns:sub.metric", "ms", "Histogram", "ns:sub_metric_milliseconds")]
    public void Instrument_names_and_units_follow_the_OpenTelemetry_to_Prometheus_rules(string name, string? unit, string kind, string expected) =>
        Assert.That(PrometheusNames.MetricName(name, unit, Enum.Parse<MetricKind>(kind)), Is.EqualTo(expected));

    [TestCase("http.request.method", "http_request_method")]
    [TestCase("error.type", "error_type")]
    [TestCase("__reserved", "_reserved")]
    [TestCase("0day", "key_0day")]
    [TestCase("a:b", "a_b")]
    public void Tag_names_become_valid_label_names(string tag, string expected) =>
        Assert.That(PrometheusNames.LabelName(tag), Is.EqualTo(expected));
}
