using System.Net;
using Infera.EndToEndTests.Support;
using Infera.Tests.Shared;

namespace Infera.EndToEndTests.Telemetry;

/// <summary>/metrics, /healthz and /readyz of a real embedded network, read without an API key.</summary>
public sealed class MetricsEndpointTests
{
    [Test]
    public async Task After_a_streamed_completion_metrics_pass_promtool_and_count_the_job_its_tokens_and_the_node_links()
    {
        var (network, ollama, openAi) = await Networks.WithThreeAdapterAgentsAsync();
        await using (network)
        await using (ollama)
        await using (openAi)
        {
            using var response = await Sse.PostStreamAsync(network.Http, $$"""{"model":"{{Networks.Model}}","stream":true,"messages":[{"role":"user","content":"Tell me about the sea."}]}""");
            await foreach (var _ in Sse.ReadDataAsync(response))
            {
            }

            await network.WaitForSettledJobAsync(response.Headers.GetValues("x-infera-job-id").Single());
            using var anonymous = new HttpClient { BaseAddress = network.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var (metrics, text) = await ScrapeUntilJobCountedAsync(anonymous);
            var (exitCode, lint) = await Promtool.CheckMetricsAsync(text);
            using var healthz = await anonymous.GetAsync("/healthz");
            using var readyz = await anonymous.GetAsync("/readyz");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(metrics.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
                Assert.That(exitCode, Is.Zero, $"promtool check metrics said:\n{lint}");
                Assert.That(Exposition.Values(text, "infera_jobs_completed_total", ("outcome", "completed"), ("kind", "request")).Sum(), Is.GreaterThanOrEqualTo(1));
                Assert.That(Exposition.Values(text, "infera_tokens_relayed_total").Sum(), Is.GreaterThan(0));
                Assert.That(Exposition.Values(text, "infera_verification_outcomes_total", ("outcome", "verified")).Sum(), Is.GreaterThanOrEqualTo(1));
                Assert.That(Exposition.Values(text, "infera_dispatch_duration_seconds_count").Sum(), Is.GreaterThanOrEqualTo(1));
                Assert.That(
                    Exposition.Values(text, "http_server_request_duration_seconds_bucket", ("http_route", "/v1/chat/completions"), ("http_response_status_code", "200"), ("le", "+Inf")),
                    Is.EqualTo(new[] { 1.0 }),
                    "ASP.NET Core's request duration histogram, with the route as a label");
                Assert.That(Exposition.Values(text, "infera_node_connections"), Is.EqualTo(new[] { (double)network.Agents.Count }));
                Assert.That(healthz.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(await healthz.Content.ReadAsStringAsync(), Is.EqualTo("ok"));
                Assert.That(readyz.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
        }
    }

    /// <summary>
    /// Scrapes until the job shows: it is counted as the job's last step, just after its record is saved, so a read of
    /// the settled job may come a moment before.
    /// </summary>
    private static async Task<(HttpResponseMessage Response, string Text)> ScrapeUntilJobCountedAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var response = await http.GetAsync("/metrics");
            var text = await response.Content.ReadAsStringAsync();
            if (text.Contains("infera_jobs_completed_total{", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return (response, text);
            }

            response.Dispose();
            await Task.Delay(50);
        }
    }
}
