using System.Text;
using System.Text.Json;
using Infera.ServiceDefaults.Health;
using Infera.ServiceDefaults.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infera.UnitTests.Telemetry;

/// <summary>The responses of /metrics, /healthz and /readyz, written into a memory stream without a server.</summary>
public sealed class DefaultEndpointsTests
{
    [Test]
    public async Task Metrics_endpoint_answers_the_text_format_with_its_content_type()
    {
        var scope = new object();
        using var meter = new System.Diagnostics.Metrics.Meter(new System.Diagnostics.Metrics.MeterOptions("Infera.Test") { Scope = scope });
        using var metrics = new PrometheusMetrics(["Infera.Test"], scope);
        meter.CreateCounter<long>("test.hits", null, "Hits.").Add(1);
        await using var services = new ServiceCollection().AddSingleton(metrics).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();

        await PrometheusEndpoint.HandleAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.ContentType, Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
            Assert.That(Body(context), Is.EqualTo("# HELP test_hits_total Hits.\n# TYPE test_hits_total counter\ntest_hits_total 1\n"));
            Assert.That(context.Response.ContentLength, Is.EqualTo(context.Response.Body.Length));
        }
    }

    [Test]
    public async Task Liveness_says_ok()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await HealthResponses.WriteLivenessAsync(context, Report(("self", HealthStatus.Healthy, null, null)));

        Assert.That(Body(context), Is.EqualTo("ok"));
    }

    [Test]
    public async Task Readiness_names_each_check_with_its_status_and_why_it_failed()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var report = Report(("store", HealthStatus.Healthy, "SQLite answered", null), ("bus", HealthStatus.Unhealthy, null, new InvalidOperationException("connection refused")));

        await HealthResponses.WriteReadinessAsync(context, report);

        using var json = JsonDocument.Parse(Body(context));
        var checks = json.RootElement.GetProperty("checks");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Response.ContentType, Does.StartWith("application/json"));
            Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
            Assert.That(checks.GetArrayLength(), Is.EqualTo(2));
            Assert.That(checks[0].GetProperty("name").GetString(), Is.EqualTo("bus"));
            Assert.That(checks[0].GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
            Assert.That(checks[0].GetProperty("description").GetString(), Is.EqualTo("connection refused"));
            Assert.That(checks[1].GetProperty("name").GetString(), Is.EqualTo("store"));
            Assert.That(checks[1].GetProperty("status").GetString(), Is.EqualTo("healthy"));
            Assert.That(checks[1].GetProperty("description").GetString(), Is.EqualTo("SQLite answered"));
        }
    }

    private static HealthReport Report(params (string Name, HealthStatus Status, string? Description, Exception? Exception)[] checks) => new(
        checks.ToDictionary(c => c.Name, c => new HealthReportEntry(c.Status, c.Description, TimeSpan.FromMilliseconds(1), c.Exception, null)),
        TimeSpan.FromMilliseconds(2));

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
