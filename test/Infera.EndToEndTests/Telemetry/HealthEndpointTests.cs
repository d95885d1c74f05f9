using System.Net;
using System.Text.Json;
using Infera.Embedded;
using Infera.ServiceDefaults;
using Infera.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Infera.EndToEndTests.Telemetry;

/// <summary>A host with the service defaults and a readiness check that can fail, on a real loopback Kestrel.</summary>
public sealed class HealthEndpointTests
{
    [Test]
    public async Task Readiness_is_503_naming_the_failing_check_until_it_recovers_while_liveness_stays_ok()
    {
        var busUp = false;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults("health-test");
        builder.Services.AddHealthChecks()
            .AddCheck("bus", () => busUp ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("connection refused"), [HealthCheckTags.Ready])
            .AddCheck("store", () => HealthCheckResult.Healthy("SQLite answered"), [HealthCheckTags.Ready]);
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = EmbeddedNetwork.BoundAddress(app.Services.GetRequiredService<IServer>()) };

        using var notReady = await http.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync());
        using var alive = await http.GetAsync("/healthz");
        busUp = true;
        using var ready = await http.GetAsync("/readyz");

        var checks = body.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!, c => (c.GetProperty("status").GetString(), c.GetProperty("description").GetString()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(notReady.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
            Assert.That(checks["bus"], Is.EqualTo(("unhealthy", "connection refused")));
            Assert.That(checks["store"], Is.EqualTo(("healthy", "SQLite answered")));
            Assert.That(checks, Does.Not.ContainKey("self"), "the liveness check is not a readiness check");
            Assert.That(alive.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a dependency being down is no reason to restart the process");
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await app.StopAsync();
    }
}
