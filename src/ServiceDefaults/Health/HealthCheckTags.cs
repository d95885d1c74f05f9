namespace Infera.ServiceDefaults.Health;

/// <summary>
/// Tags that put a health check behind an endpoint: <see cref="Live"/> checks answer <c>/healthz</c> (restart me when
/// they fail), <see cref="Ready"/> checks answer <c>/readyz</c> (send me no traffic while they fail).
/// </summary>
/// <example><c>services.AddHealthChecks().AddCheck&lt;StoreHealthCheck&gt;("store", tags: [HealthCheckTags.Ready]);</c></example>
public static class HealthCheckTags
{
    public const string Live = "live";

    public const string Ready = "ready";
}
