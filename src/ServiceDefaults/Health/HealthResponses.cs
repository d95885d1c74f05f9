using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infera.ServiceDefaults.Health;

/// <summary>The bodies of <c>/healthz</c> (plain "ok") and <c>/readyz</c> (JSON naming each check).</summary>
internal static class HealthResponses
{
    public static Task WriteLivenessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(report.Status == HealthStatus.Healthy ? "ok" : Name(report.Status), context.RequestAborted);
    }

    /// <summary>
    /// <c>{"status":"healthy","checks":[{"name":"store","status":"healthy","description":null,"duration_ms":0.4}]}</c>;
    /// a failed check's description falls back to its exception's message, so the body says what is wrong.
    /// </summary>
    public static async Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", Name(entry.Status));
            json.WriteString("description", entry.Description ?? entry.Exception?.Message);
            json.WriteNumber("duration_ms", Math.Round(entry.Duration.TotalMilliseconds, 3));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
