using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Infera.ServiceDefaults.Otlp;

/// <summary>
/// Where OTLP export goes, read from the standard <c>OTEL_*</c> settings (environment variables, or any other
/// configuration source under the same keys): on only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal sealed record OtlpSettings(string ServiceName, OtlpExportProtocol Protocol, Uri TracesEndpoint, Uri MetricsEndpoint, string? Headers, int? MetricExportIntervalMs)
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The settings, or null when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is not set; throws, naming the setting, when one is malformed.</summary>
    public static OtlpSettings? From(IConfiguration config, string defaultServiceName)
    {
        var endpoint = config[EndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        // .NET's OTLP exporter defaults to gRPC (port 4317); http/protobuf is the usual choice for port 4318.
        var protocol = config["OTEL_EXPORTER_OTLP_PROTOCOL"] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new InvalidOperationException(
                $"OTEL_EXPORTER_OTLP_PROTOCOL is '{other}'; set it to 'grpc' or 'http/protobuf' (http/json is not supported)."),
        };
        var interval = config["OTEL_METRIC_EXPORT_INTERVAL"] is { Length: > 0 } ms
            ? int.TryParse(ms, out var parsed) && parsed > 0
                ? parsed
                : throw new InvalidOperationException($"OTEL_METRIC_EXPORT_INTERVAL is '{ms}'; set it to a positive number of milliseconds.")
            : (int?)null;
        var serviceName = config["OTEL_SERVICE_NAME"] is { Length: > 0 } named ? named : defaultServiceName;
        return new OtlpSettings(
            serviceName,
            protocol,
            SignalEndpoint(config, "traces", endpoint, protocol),
            SignalEndpoint(config, "metrics", endpoint, protocol),
            config["OTEL_EXPORTER_OTLP_HEADERS"],
            interval);
    }

    /// <summary>
    /// A signal's own endpoint setting as given; else the base endpoint, to which OTLP/HTTP appends <c>v1/traces</c> or
    /// <c>v1/metrics</c> (the exporter does so itself only when it reads the environment, not for endpoints set in code).
    /// </summary>
    private static Uri SignalEndpoint(IConfiguration config, string signal, string endpoint, OtlpExportProtocol protocol)
    {
        var key = signal == "traces" ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" : "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
        if (config[key] is { Length: > 0 } own)
        {
            return Parse(key, own);
        }

        var root = Parse(EndpointKey, endpoint);
        return protocol == OtlpExportProtocol.Grpc
            ? root
            : new Uri(root.AbsoluteUri.TrimEnd('/') + "/v1/" + signal);
    }

    private static Uri Parse(string key, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"{key} is '{value}'; set it to an absolute http:// or https:// address such as http://localhost:4317.");
}
