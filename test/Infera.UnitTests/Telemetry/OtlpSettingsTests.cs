using Infera.ServiceDefaults.Otlp;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Infera.UnitTests.Telemetry;

public sealed class OtlpSettingsTests
{
    [Test]
    public void Nothing_is_exported_without_an_endpoint() =>
        Assert.That(OtlpSettings.From(Config(), "infera"), Is.Null);

    [Test]
    public void Http_protobuf_appends_each_signals_path_to_the_endpoint()
    {
        var settings = OtlpSettings.From(Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/otlp/"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")), "infera")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Protocol, Is.EqualTo(OtlpExportProtocol.HttpProtobuf));
            Assert.That(settings.TracesEndpoint, Is.EqualTo(new Uri("http://collector:4318/otlp/v1/traces")));
            Assert.That(settings.MetricsEndpoint, Is.EqualTo(new Uri("http://collector:4318/otlp/v1/metrics")));
            Assert.That(settings.ServiceName, Is.EqualTo("infera"));
        }
    }

    [Test]
    public void Grpc_is_the_default_and_uses_the_endpoint_as_given_unless_a_signal_has_its_own()
    {
        var settings = OtlpSettings.From(
            Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics:4317"), ("OTEL_SERVICE_NAME", "infera-silo")),
            "infera")!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Protocol, Is.EqualTo(OtlpExportProtocol.Grpc));
            Assert.That(settings.TracesEndpoint, Is.EqualTo(new Uri("http://collector:4317")));
            Assert.That(settings.MetricsEndpoint, Is.EqualTo(new Uri("http://metrics:4317")));
            Assert.That(settings.ServiceName, Is.EqualTo("infera-silo"));
        }
    }

    [TestCase("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")]
    [TestCase("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317")]
    [TestCase("OTEL_METRIC_EXPORT_INTERVAL", "soon")]
    public void A_malformed_setting_fails_naming_the_setting(string key, string value)
    {
        var config = Config(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), (key, value));

        Assert.That(() => OtlpSettings.From(config, "infera"), Throws.InvalidOperationException.With.Message.Contains(key));
    }

    /// <summary>Configuration from pairs; a later pair replaces an earlier one of the same key.</summary>
    private static IConfiguration Config(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
