using Infera.ServiceDefaults.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Infera.ServiceDefaults.Otlp;

/// <summary>
/// Exports traces and metrics over OTLP while the host runs: builds a tracer and a meter provider on start, and
/// on stop shuts them down, which sends what is still buffered.
/// </summary>
internal sealed class OtlpExportService(OtlpSettings settings, IOptions<PrometheusMetricsOptions> metrics) : IHostedService, IDisposable
{
    // Long enough for a collector on the same network to take the last batch; short enough not to stall a shutdown.
    private const int ShutdownTimeoutMs = 5000;

    private TracerProvider? _tracing;
    private MeterProvider? _metrics;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var resource = ResourceBuilder.CreateDefault().AddService(settings.ServiceName);
        _tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource([.. TelemetryNames.ActivitySources])
            .AddOtlpExporter(o => Configure(o, settings.TracesEndpoint))
            .Build();
        _metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter([.. metrics.Value.MeterPrefixes.Select(p => p + "*")])
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o, settings.MetricsEndpoint);
                if (settings.MetricExportIntervalMs is { } interval)
                {
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                }
            })
            .Build();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _tracing?.Shutdown(ShutdownTimeoutMs);
        _metrics?.Shutdown(ShutdownTimeoutMs);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
    }

    private void Configure(OtlpExporterOptions options, Uri endpoint)
    {
        options.Endpoint = endpoint;
        options.Protocol = settings.Protocol;
        if (settings.Headers is { } headers)
        {
            options.Headers = headers;
        }
    }
}
