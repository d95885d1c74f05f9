using System.Diagnostics.Metrics;
using Infera.Jobs;
using Infera.Verification;

namespace Infera.Telemetry;

/// <summary>
/// The silo's job and node-link metrics, on the meter "Infera.Silo". Tags are of low cardinality only: outcomes,
/// error codes, verdicts and whether a job was a canary; never a job id, model or node address.
/// </summary>
public sealed class JobInstruments
{
    // A job runs as long as its slowest replica, so its buckets reach minutes; time to first token stays in seconds.
    private static readonly double[] JobBounds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
    private static readonly double[] FirstTokenBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _dispatch;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _verdicts;
    private readonly UpDownCounter<long> _connections;

    public JobInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SiloTelemetry.Name);
        _jobs = meter.CreateCounter<long>(
            "infera.jobs.completed", "{job}", "Jobs ended, by outcome (completed, failed, cancelled); failures carry error.type.");
        _jobDuration = meter.CreateHistogram(
            "infera.job.duration", "s", "Time from a job's acceptance to its settlement (every replica done, verified, recorded).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = JobBounds });
        _tokens = meter.CreateCounter<long>(
            "infera.tokens.relayed", "{token}", "Completion tokens of the answers delivered to clients, as their nodes reported them; counted when the job ends.");
        _dispatch = meter.CreateHistogram(
            "infera.dispatch.duration", "s", "Time from a job's acceptance to the first token relayed to its client: time to first token as the silo sees it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstTokenBounds });
        _verifications = meter.CreateCounter<long>(
            "infera.verification.outcomes", "{job}", "Verified jobs by outcome: verified (all agree), disagreement (verified, some outputs disagree), unverified (no majority), single_output.");
        _verdicts = meter.CreateCounter<long>(
            "infera.verification.verdicts", "{verdict}", "Verdicts on nodes' outputs: agree, disagree, undecided.");
        _connections = meter.CreateUpDownCounter<long>(
            "infera.node.connections", "{connection}", "Node links open on this silo (handshake passed, socket not yet closed).");
    }

    /// <summary>A job ended. <paramref name="deliveredTokens"/> are the completion tokens its client was given.</summary>
    public void JobEnded(string status, JobErrorCode? error, bool canary, TimeSpan duration, int deliveredTokens)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", status);
        var kind = Kind(canary);
        if (status == JobStatuses.Failed)
        {
            _jobs.Add(1, outcome, kind, new KeyValuePair<string, object?>("error.type", error is { } code ? ErrorCodes.Of(code) : "unknown"));
        }
        else
        {
            _jobs.Add(1, outcome, kind);
        }

        _jobDuration.Record(duration.TotalSeconds, outcome, kind);
        if (!canary && deliveredTokens > 0)
        {
            _tokens.Add(deliveredTokens);
        }
    }

    /// <summary>The first token reached a client, <paramref name="sinceAccepted"/> after the job was accepted.</summary>
    public void FirstTokenRelayed(TimeSpan sinceAccepted) => _dispatch.Record(sinceAccepted.TotalSeconds);

    /// <summary>A job's outputs were judged; a canary's single output against its known answer.</summary>
    public void Verified(VerificationResult result, bool canary)
    {
        var disagreement = result.Verdicts.Any(v => v.Verdict == Verdicts.Disagree);
        var outcome = canary
            ? (result.Verified ? "verified" : "disagreement")
            : result.Verified ? (disagreement ? "disagreement" : "verified")
            : result.Verdicts.Count < 2 ? "single_output" : "unverified";
        var kind = Kind(canary);
        _verifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome), kind);
        foreach (var verdict in result.Verdicts)
        {
            _verdicts.Add(1, new KeyValuePair<string, object?>("verdict", verdict.Verdict), kind);
        }
    }

    public void NodeConnected() => _connections.Add(1);

    public void NodeDisconnected() => _connections.Add(-1);

    private static KeyValuePair<string, object?> Kind(bool canary) => new("kind", canary ? "canary" : "request");
}
