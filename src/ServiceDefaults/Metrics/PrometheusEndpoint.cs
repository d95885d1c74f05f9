using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.ServiceDefaults.Metrics;

/// <summary><c>GET /metrics</c>: this host's metrics in the Prometheus text format.</summary>
internal static class PrometheusEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var body = Encoding.UTF8.GetBytes(context.RequestServices.GetRequiredService<PrometheusMetrics>().Collect());
        var response = context.Response;
        response.ContentType = PrometheusMetrics.ContentType;
        response.Headers.CacheControl = "no-store";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
