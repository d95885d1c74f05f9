using Infera.Jobs;

namespace Infera.Storage;

/// <summary>Durable jobs: the job, every assignment and the verification, saved together.</summary>
public interface IJobStore
{
    /// <summary>Inserts or replaces the job and its assignments and verdicts, in one transaction.</summary>
    Task SaveAsync(string tenant, JobView job, CancellationToken cancellationToken);

    /// <summary>The job and the tenant that owns it, or null.</summary>
    Task<(string Tenant, JobView Job)?> FindAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Marks jobs left <c>running</c> by a process that is gone as failed; returns how many.</summary>
    Task<int> FailAbandonedAsync(string reason, DateTimeOffset now, CancellationToken cancellationToken);
}
