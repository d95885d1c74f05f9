using System.Diagnostics.Metrics;
using Infera.Jobs;
using Infera.ServiceDefaults.Metrics;
using Infera.Telemetry;
using Infera.UnitTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.UnitTests.Telemetry;

/// <summary>What a job records on the silo's meter, read back through the /metrics collector.</summary>
public sealed class JobInstrumentsTests : IDisposable
{
    private const string Answer = "Paris is the capital of France, on the river Seine.";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PrometheusMetrics _metrics;
    private readonly JobHarness _harness;

    public JobInstrumentsTests()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        _metrics = new PrometheusMetrics(["Infera"], meterFactory);
        _harness = new JobHarness(instruments: new JobInstruments(meterFactory));
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _services.Dispose();
    }

    [Test]
    public async Task A_verified_job_counts_as_completed_with_its_tokens_verdicts_and_time_to_first_token()
    {
        var nodes = new[] { _harness.AddNode(reputation: 90), _harness.AddNode(reputation: 60), _harness.AddNode(reputation: 30) };
        var job = _harness.Start();
        foreach (var node in nodes)
        {
            node.Answer(await node.DispatchedAsync(), Answer, completionTokens: 11);
        }

        await JobHarness.RestOfStreamAsync(job);
        var text = _metrics.Collect();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("infera_jobs_completed_total{kind=\"request\",outcome=\"completed\"} 1\n"));
            Assert.That(text, Does.Contain("infera_tokens_relayed_total 11\n"));
            Assert.That(text, Does.Contain("infera_verification_outcomes_total{kind=\"request\",outcome=\"verified\"} 1\n"));
            Assert.That(text, Does.Contain("infera_verification_verdicts_total{kind=\"request\",verdict=\"agree\"} 3\n"));
            Assert.That(text, Does.Contain("infera_dispatch_duration_seconds_count 1\n"));
            Assert.That(text, Does.Contain("infera_job_duration_seconds_count{kind=\"request\",outcome=\"completed\"} 1\n"));
        }
    }

    [Test]
    public async Task A_job_for_a_model_nobody_serves_counts_as_failed_with_its_error_code()
    {
        _harness.AddNode();
        var job = _harness.Start(model: "no-such-model");

        await JobHarness.RestOfStreamAsync(job);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_metrics.Collect(), Does.Contain("infera_jobs_completed_total{error_type=\"model_not_found\",kind=\"request\",outcome=\"failed\"} 1\n"));
            Assert.That(_metrics.Collect(), Does.Not.Contain("infera_tokens_relayed_total"));
        }
    }
}
