namespace Infera.ServiceDefaults;

/// <summary>The meters and activity sources that <c>/metrics</c> and OTLP export listen to.</summary>
public static class TelemetryNames
{
    /// <summary>Meter name prefixes: ours, and ASP.NET Core's HTTP server and Kestrel metrics.</summary>
    public static readonly IReadOnlyList<string> Meters = ["Infera", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>
    /// Activity sources traced by OTLP export: ours (<c>Infera.Gateway</c>, <c>Infera.Silo</c>, ...), ASP.NET Core's
    /// request activity (which reads an incoming <c>traceparent</c>) and HttpClient's (which sends one).
    /// </summary>
    public static readonly IReadOnlyList<string> ActivitySources = ["Infera.*", "Microsoft.AspNetCore", "System.Net.Http"];
}
