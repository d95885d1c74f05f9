namespace Infera.ServiceDefaults.Metrics;

/// <summary>Which meters <c>/metrics</c> shows.</summary>
public sealed class PrometheusMetricsOptions
{
    /// <summary>
    /// Meter name prefixes to collect. Default: <c>Infera</c> (our own), <c>Microsoft.AspNetCore.Hosting</c>
    /// (<c>http.server.request.duration</c>, <c>http.server.active_requests</c>) and
    /// <c>Microsoft.AspNetCore.Server.Kestrel</c> (connections).
    /// </summary>
    public IList<string> MeterPrefixes { get; } = [.. TelemetryNames.Meters];
}
