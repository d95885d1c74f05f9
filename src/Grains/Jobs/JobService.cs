using System.Collections.Concurrent;
using Infera.Canaries;
using Infera.Nodes;
using Infera.Reputation;
using Infera.Storage;
using Infera.Telemetry;
using Infera.Trust;
using Infera.Verification;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Infera.Jobs;

/// <summary>
/// The silo's side of <see cref="IJobService"/>: creates a job grain per request, answers reads from the live grain
/// while it runs and from the store after.
/// </summary>
public sealed class JobService : IJobService
{
    private readonly ConcurrentDictionary<string, JobGrain> _active = new(StringComparer.Ordinal);
    private readonly JobDependencies _deps;

    private readonly CanaryService? _canaries;

    public JobService(
        NodeRegistry registry,
        VerifierGrain verifier,
        ReputationGrains reputation,
        IJobStore store,
        IOptions<JobOptions> options,
        TimeProvider clock,
        ILogger<JobService> logger,
        CanaryService? canaries = null,
        Random? random = null,
        JobInstruments? instruments = null)
    {
        _canaries = canaries;
        _deps = new JobDependencies(registry, verifier, reputation, new ModelSpeedNorms(), store, options.Value, clock, random ?? Random.Shared, logger, OnEnded, instruments);
    }

    /// <summary>Jobs still running here (their clients may already be answered).</summary>
    public int ActiveJobs => _active.Count;

    public ValueTask<JobStream> StartAsync(JobRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Start(request, cancellationToken));

    public JobStream Start(JobRequest request, CancellationToken cancellationToken) => Start(JobIds.New(), request, cancellationToken).Stream;

    /// <summary>Starts a job under an id chosen elsewhere (a gateway in a cluster); returns the grain too, for its completion.</summary>
    public (JobStream Stream, Task Completion) Start(string jobId, JobRequest request, CancellationToken cancellationToken)
    {
        var job = new JobGrain(jobId, request, _deps);
        _active[job.Id] = job;
        job.Start(cancellationToken);
        return (new JobStream(job.Id, job.Events), job.Completion);
    }

    public async Task<JobView?> GetAsync(string jobId, string tenant, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue(jobId, out var job) && string.Equals(job.Request.Tenant, tenant, StringComparison.Ordinal)
            && await job.InspectAsync(cancellationToken) is { } live)
        {
            return live;
        }

        var stored = await _deps.Store.FindAsync(jobId, cancellationToken);
        return stored is { } found && string.Equals(found.Tenant, tenant, StringComparison.Ordinal) ? found.Job : null;
    }

    public IReadOnlyList<ModelListing> ListModels() => _deps.Registry.ListModels();

    /// <summary>Waits for every running job to settle, up to the token.</summary>
    public Task DrainAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_active.Values.Select(j => j.Completion)).WaitAsync(cancellationToken);

    /// <summary>Starts a job that no client waits for (a canary); its events are dropped with the grain.</summary>
    private void StartInternal(JobRequest request) => Start(request, CancellationToken.None);

    private void OnEnded(JobGrain job)
    {
        _active.TryRemove(job.Id, out _);
        if (_canaries is null || job.Final is not { } final)
        {
            return;
        }

        if (job.Request.Canary is { ExpectedAnswer: null })
        {
            _canaries.Established(job.Request, final);
            return;
        }

        if (job.Request.Tenant == JobRequest.CanaryTenant)
        {
            return; // canaries don't beget canaries
        }

        foreach (var assignment in final.Assignments.Where(a => a.Status == AssignmentStatuses.Completed))
        {
            if (Identity.NodeAddress.TryParse(assignment.Node, out var address) && _deps.Registry.TryGet(address, out var node)
                && _canaries.Plan(job.Request.Model, node!) is { } canary)
            {
                StartInternal(canary);
            }
        }
    }
}
