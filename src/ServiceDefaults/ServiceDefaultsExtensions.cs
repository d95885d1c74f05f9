using Infera.ServiceDefaults.Health;
using Infera.ServiceDefaults.Metrics;
using Infera.ServiceDefaults.Otlp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Infera.ServiceDefaults;

/// <summary>What every Infera web host adds, after .NET Aspire's ServiceDefaults: health, metrics, OTLP export.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Adds health checks (a "self" liveness check; others add theirs tagged <see cref="HealthCheckTags.Ready"/>),
    /// the in-memory metrics behind <c>/metrics</c>, and OTLP export of traces and metrics when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. <paramref name="defaultServiceName"/> names the service in exported
    /// telemetry unless <c>OTEL_SERVICE_NAME</c> is set.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string defaultServiceName = "infera")
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthCheckTags.Live]);
        services.AddMetrics();
        services.AddOptions<PrometheusMetricsOptions>();
        services.TryAddSingleton<PrometheusMetrics>();
        if (OtlpSettings.From(builder.Configuration, defaultServiceName) is { } otlp)
        {
            services.AddSingleton(otlp);
            services.AddHostedService<OtlpExportService>();
        }

        return builder;
    }

    /// <summary>
    /// Maps <c>GET /healthz</c> (liveness: "ok"), <c>GET /readyz</c> (readiness: the checks tagged
    /// <see cref="HealthCheckTags.Ready"/>; 503 when one is unhealthy) and <c>GET /metrics</c> (Prometheus text
    /// format). None of them asks for an API key.
    /// </summary>
    public static TEndpoints MapDefaultEndpoints<TEndpoints>(this TEndpoints endpoints)
        where TEndpoints : IEndpointRouteBuilder
    {
        // Created now rather than at the first scrape, so it counts from the first request on.
        endpoints.ServiceProvider.GetRequiredService<PrometheusMetrics>();
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthCheckTags.Live),
            ResponseWriter = HealthResponses.WriteLivenessAsync,
        });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthCheckTags.Ready),
            ResponseWriter = HealthResponses.WriteReadinessAsync,
        });
        endpoints.MapGet("/metrics", PrometheusEndpoint.HandleAsync);
        return endpoints;
    }
}
