using Infera.Jobs;
using Infera.Storage;

namespace Infera.Simulation;

/// <summary>Jobs in memory, each save replacing the last as the real stores do; read back in the order first saved.</summary>
public sealed class InMemoryJobStore : IJobStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Tenant, JobView Job)> _jobs = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Every job saved, as last saved, in the order each was first saved.</summary>
    public IReadOnlyList<(string Tenant, JobView Job)> Jobs
    {
        get
        {
            lock (_lock)
            {
                return [.. _order.Select(id => _jobs[id])];
            }
        }
    }

    public Task SaveAsync(string tenant, JobView job, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_jobs.ContainsKey(job.Id))
            {
                _order.Add(job.Id);
            }

            _jobs[job.Id] = (tenant, job);
        }

        return Task.CompletedTask;
    }

    public Task<(string Tenant, JobView Job)?> FindAsync(string jobId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<(string Tenant, JobView Job)?>(_jobs.TryGetValue(jobId, out var found) ? found : null);
        }
    }

    public Task<int> FailAbandonedAsync(string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(0); // one process, never restarted: nothing is abandoned
}
