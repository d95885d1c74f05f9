using System.Collections.Concurrent;
using System.Security.Cryptography;
using Infera.Nodes;
using Infera.Reputation;
using Infera.Storage;
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

    public JobService(
        NodeRegistry registry,
        VerifierGrain verifier,
        ReputationGrains reputation,
        IJobStore store,
        IOptions<JobOptions> options,
        TimeProvider clock,
        ILogger<JobService> logger)
    {
        _deps = new JobDependencies(registry, verifier, reputation, new ModelSpeedNorms(), store, options.Value, clock, Random.Shared, logger, job => _active.TryRemove(job.Id, out _));
    }

    /// <summary>Jobs still running here (their clients may already be answered).</summary>
    public int ActiveJobs => _active.Count;

    public JobStream Start(JobRequest request, CancellationToken cancellationToken)
    {
        var job = new JobGrain(NewJobId(), request, _deps);
        _active[job.Id] = job;
        job.Start(cancellationToken);
        return new JobStream(job.Id, job.Events);
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

    private static string NewJobId() => "job-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
