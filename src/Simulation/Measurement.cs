using Infera.Jobs;
using Infera.Trust;

namespace Infera.Simulation;

/// <summary>
/// Reads a finished scenario's figures from what the product recorded: the stored jobs (assignments, verdicts, the
/// assignment returned to the client) and the trust store (ledger lines, standings). The simulation adds only the
/// ground truth it alone knows: which outputs were deviant.
/// </summary>
internal sealed class Measurement
{
    /// <summary>The first user jobs, while every node is new; misses there are told apart from later ones.</summary>
    public const int ColdStartJobs = 100;

    private readonly HashSet<string> _adversaries;
    private readonly IReadOnlyDictionary<string, bool> _deviant;
    private readonly Func<DateTimeOffset, int> _userJobsStartedBy;
    private int _userJobs, _canaryJobs, _nodeJobs, _honestNodeJobs;
    private int _adversarial, _detected, _agreed, _inColdStart, _undetectedInColdStart, _badDelivered, _badUndetected;

    private Measurement(IReadOnlyList<SimulatedNode> nodes, IReadOnlyDictionary<string, bool> deviant, Func<DateTimeOffset, int> userJobsStartedBy)
    {
        _adversaries = nodes.Where(n => n.IsAdversary).Select(n => n.Grain.Address.Value).ToHashSet(StringComparer.Ordinal);
        _deviant = deviant;
        _userJobsStartedBy = userJobsStartedBy;
    }

    // userJobsStartedBy: how many user jobs had started by a point in simulated time.
    public static ScenarioResult Of(
        Scenario scenario,
        IReadOnlyList<(string Tenant, JobView Job)> jobs,
        InMemoryTrustStore trust,
        IReadOnlyList<SimulatedNode> nodes,
        IReadOnlyDictionary<string, bool> deviant,
        int userJobsFailed,
        Func<DateTimeOffset, int> userJobsStartedBy,
        TimeSpan elapsed)
    {
        var m = new Measurement(nodes, deviant, userJobsStartedBy);
        foreach (var (tenant, job) in jobs)
        {
            m.Add(job, isUser: string.Equals(tenant, Workload.Tenant, StringComparison.Ordinal));
        }

        var honestSlashes = trust.Ledger.Where(e => e.Kind == TrustEventKinds.Slash && !m._adversaries.Contains(e.Address)).ToList();
        var standings = nodes.Select(n => (Node: n, Trust: trust.Get(n.Grain.Address.Value))).ToList();
        return new ScenarioResult(
            scenario,
            m._userJobs,
            userJobsFailed,
            m._adversarial,
            m._detected,
            m._agreed,
            m._inColdStart,
            m._undetectedInColdStart,
            m._badDelivered,
            m._badUndetected,
            m._honestNodeJobs,
            honestSlashes.Count,
            honestSlashes.Select(e => e.Address).Distinct(StringComparer.Ordinal).Count(),
            standings.Count(s => !s.Node.IsAdversary && s.Trust is { IsEjected: true }),
            m._adversaries.Count,
            [.. standings.Where(s => s.Node.IsAdversary && s.Trust?.EjectedAt is not null).Select(s => userJobsStartedBy(s.Trust!.EjectedAt!.Value))],
            m._nodeJobs,
            m._canaryJobs,
            elapsed);
    }

    private void Add(JobView job, bool isUser)
    {
        _userJobs += isUser ? 1 : 0;
        _canaryJobs += isUser ? 0 : 1;
        _nodeJobs += job.Assignments.Count;
        var verdicts = job.Verification?.Verdicts.ToDictionary(v => v.AssignmentId, v => v.Verdict, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var coldStart = _userJobsStartedBy(job.CreatedAt) <= ColdStartJobs;
        foreach (var a in job.Assignments.Where(a => a.Status == AssignmentStatuses.Completed))
        {
            if (!_adversaries.Contains(a.Node))
            {
                _honestNodeJobs++;
                continue;
            }

            if (!_deviant.GetValueOrDefault(a.Id))
            {
                continue;
            }

            var verdict = verdicts.GetValueOrDefault(a.Id);
            _adversarial++;
            _detected += verdict == Verdicts.Disagree ? 1 : 0;
            _agreed += verdict == Verdicts.Agree ? 1 : 0;
            _inColdStart += coldStart ? 1 : 0;
            _undetectedInColdStart += verdict != Verdicts.Disagree && coldStart ? 1 : 0;
        }

        if (isUser && job.Verification?.ReturnedAssignment is { } returned && _deviant.GetValueOrDefault(returned))
        {
            _badDelivered++;
            _badUndetected += verdicts.GetValueOrDefault(returned) == Verdicts.Disagree ? 0 : 1;
        }
    }
}
