using Infera.EndToEndTests.Fakes;
using Infera.EndToEndTests.Support;

namespace Infera.EndToEndTests.Telemetry;

/// <summary>OTLP export from a real embedded network to a loopback OTLP/HTTP receiver.</summary>
public sealed class OtlpExportTests
{
    [Test]
    public async Task With_an_OTLP_endpoint_set_the_jobs_spans_and_metrics_reach_the_collector_by_shutdown()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        var (network, ollama, openAi) = await Networks.WithThreeAdapterAgentsAsync(settings:
        [
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={collector.BaseAddress}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_SERVICE_NAME=infera-e2e",
        ]);
        await using (ollama)
        await using (openAi)
        {
            await using (network)
            {
                using var response = await Sse.PostStreamAsync(network.Http, $$"""{"model":"{{Networks.Model}}","stream":true,"messages":[{"role":"user","content":"Hello"}]}""");
                await foreach (var _ in Sse.ReadDataAsync(response))
                {
                }

                await network.WaitForSettledJobAsync(response.Headers.GetValues("x-infera-job-id").Single());
            }

            // Stopping the host shut the providers down, which sends what they still held.
        }

        var traces = collector.Exports.Where(e => e.Signal == "traces").ToList();
        var metrics = collector.Exports.Where(e => e.Signal == "metrics").ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(traces, Is.Not.Empty, "no POST to /v1/traces arrived");
            Assert.That(traces.Select(t => t.Body.Length), Is.All.GreaterThan(0));
            Assert.That(traces.Select(t => t.ContentType), Is.All.EqualTo("application/x-protobuf"));
            Assert.That(traces.Any(t => t.Mentions("Infera.Silo") && t.Mentions("infera.job")), Is.True, "the job's span");
            Assert.That(traces.Any(t => t.Mentions("Infera.Gateway") && t.Mentions("infera.chat_completion")), Is.True, "the gateway's span");
            Assert.That(traces.Any(t => t.Mentions("infera-e2e")), Is.True, "the service name from OTEL_SERVICE_NAME");
            Assert.That(metrics, Is.Not.Empty, "no POST to /v1/metrics arrived");
            Assert.That(metrics.Any(m => m.Mentions("infera.jobs.completed") && m.Mentions("http.server.request.duration")), Is.True);
        }
    }
}
