using System.Collections.Concurrent;
using System.Threading.Channels;
using Infera.Cluster;
using Infera.Jobs;
using Infera.Messaging.RabbitMq;
using Infera.Storage;
using Microsoft.Extensions.Options;

namespace Infera.Gateway.Cluster;

/// <summary>
/// <see cref="IJobService"/> across the bus: a job goes to the silos' shared work queue with a publisher confirm, and
/// its events come back on this gateway's own queue. Reads come from the shared store, so any gateway answers for any
/// job.
/// </summary>
public sealed class BusJobService(
    RabbitMqBus bus,
    IJobStore store,
    ClusterModels models,
    IOptions<GatewayOptions> options,
    TimeProvider clock) : IJobService, IBusSubscription
{
    private readonly ConcurrentDictionary<string, PendingJob> _pending = new(StringComparer.Ordinal);

    public string Queue { get; } = bus.Options.GatewayQueue(options.Value.GatewayId);

    public bool Private => true;

    public ushort Prefetch => 0;

    /// <summary>Jobs submitted here whose ending has not come yet.</summary>
    public int PendingJobs => _pending.Count;

    public async ValueTask<JobStream> StartAsync(JobRequest request, CancellationToken cancellationToken)
    {
        if (!models.SilosTakeJobs)
        {
            throw new ServiceUnavailableException("No silo is taking jobs now; retry shortly.");
        }

        var jobId = JobIds.New();
        var pending = new PendingJob(clock.GetUtcNow());
        _pending[jobId] = pending;
        try
        {
            await bus.PublishAsync(bus.Options.JobsQueue, new SubmitJob(jobId, Queue, request), persistent: true, cancellationToken);
        }
        catch
        {
            _pending.TryRemove(jobId, out _);
            throw;
        }

        // The client leaving cancels the job where it runs, as it would in one process.
        pending.ClientGone = cancellationToken.Register(() =>
        {
            if (_pending.TryRemove(jobId, out var gone) && gone.Owner is { } owner)
            {
                bus.Post(owner, new CancelJob(jobId));
            }
        });
        return new JobStream(jobId, pending.Events.Reader);
    }

    public async Task<JobView?> GetAsync(string jobId, string tenant, CancellationToken cancellationToken)
    {
        var stored = await store.FindAsync(jobId, cancellationToken);
        return stored is { } found && string.Equals(found.Tenant, tenant, StringComparison.Ordinal) ? found.Job : null;
    }

    public IReadOnlyList<ModelListing> ListModels() => models.Current;

    public Task HandleAsync(ClusterMessage message, Delivery delivery)
    {
        if (message is JobEventEnvelope envelope && _pending.TryGetValue(envelope.JobId, out var pending))
        {
            Deliver(envelope, pending);
        }

        return Task.CompletedTask;
    }

    /// <summary>Ends the jobs that have been silent longer than the idle timeout.</summary>
    public void ExpireIdle()
    {
        var now = clock.GetUtcNow();
        foreach (var (jobId, pending) in _pending)
        {
            if (now - pending.LastEventAt > options.Value.JobIdleTimeout && _pending.TryRemove(jobId, out _))
            {
                pending.End(new JobFailed(new JobError(
                    JobErrorCode.Timeout, $"No silo reported on this job for {options.Value.JobIdleTimeout.TotalSeconds:F0} s; retry the request.")));
            }
        }
    }

    private void Deliver(JobEventEnvelope envelope, PendingJob pending)
    {
        pending.LastEventAt = clock.GetUtcNow();
        if (pending.Owner is { } owner && owner != envelope.Silo)
        {
            // The silo running the job died and the broker gave it to another, which starts over. Text already sent
            // can't be taken back, so only a client that got none may follow the new run.
            if (pending.SentText)
            {
                _pending.TryRemove(envelope.JobId, out _);
                pending.End(new JobFailed(new JobError(
                    JobErrorCode.Unavailable,
                    "The silo running this job was lost mid-answer. The job was resumed on another silo (see GET /v1/jobs/{id}), but this stream cannot continue; retry the request.")));
                return;
            }
        }

        pending.Owner = envelope.Silo;
        switch (envelope.Event)
        {
            case TokenDelta:
                pending.SentText = true;
                pending.Events.Writer.TryWrite(envelope.Event);
                break;
            case JobCompleted or JobFailed:
                _pending.TryRemove(envelope.JobId, out _);
                pending.End(envelope.Event);
                break;
        }
    }

    private sealed class PendingJob(DateTimeOffset submittedAt)
    {
        public Channel<JobEvent> Events { get; } = Channel.CreateUnbounded<JobEvent>(new UnboundedChannelOptions { SingleReader = true });

        public DateTimeOffset LastEventAt { get; set; } = submittedAt;

        /// <summary>The queue of the silo running the job, from its first event.</summary>
        public string? Owner { get; set; }

        public bool SentText { get; set; }

        public CancellationTokenRegistration ClientGone { get; set; }

        public void End(JobEvent ending)
        {
            Events.Writer.TryWrite(ending);
            Events.Writer.TryComplete();
            ClientGone.Dispose();
        }
    }
}
