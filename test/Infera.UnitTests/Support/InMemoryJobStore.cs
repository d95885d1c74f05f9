using System.Collections.Concurrent;
using Infera.Jobs;
using Infera.Storage;

namespace Infera.UnitTests.Support;

/// <summary>Jobs kept in a dictionary; every save replaces the job, as the real stores do.</summary>
internal sealed class InMemoryJobStore : IJobStore
{
    private readonly ConcurrentDictionary<string, (string Tenant, JobView Job)> _jobs = new(StringComparer.Ordinal);

    public Task SaveAsync(string tenant, JobView job, CancellationToken cancellationToken)
    {
        _jobs[job.Id] = (tenant, job);
        return Task.CompletedTask;
    }

    public Task<(string Tenant, JobView Job)?> FindAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult<(string Tenant, JobView Job)?>(_jobs.TryGetValue(jobId, out var found) ? found : null);

    public Task<int> FailAbandonedAsync(string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Jobs are never abandoned inside a unit test.");
}
