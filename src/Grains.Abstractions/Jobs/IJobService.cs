using System.Threading.Channels;

namespace Infera.Jobs;

/// <summary>What a gateway asks of the silo tier. In embedded mode it is a direct call; in a cluster it crosses the bus.</summary>
public interface IJobService
{
    /// <summary>
    /// Accepts a job and returns its id with the stream of events for its client. Throws
    /// <see cref="ServiceUnavailableException"/> when the silo tier cannot take jobs now.
    /// </summary>
    ValueTask<JobStream> StartAsync(JobRequest request, CancellationToken cancellationToken);

    /// <summary>The job as recorded, or null when it does not exist or belongs to another tenant.</summary>
    Task<JobView?> GetAsync(string jobId, string tenant, CancellationToken cancellationToken);

    /// <summary>The models that live nodes serve now.</summary>
    IReadOnlyList<ModelListing> ListModels();
}

/// <summary>An accepted job: its id at once, its events as they come.</summary>
public sealed record JobStream(string JobId, ChannelReader<JobEvent> Events);

/// <summary>A model some live node serves.</summary>
public sealed record ModelListing(string Id, bool Simulated, int Nodes);

/// <summary>The silo tier (its store or its message bus) cannot be reached now; the client should retry later.</summary>
public sealed class ServiceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
