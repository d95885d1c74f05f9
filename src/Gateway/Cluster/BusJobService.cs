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

    /// <summary>
    /// This gateway's queue is gone with its connection, and with it events of every job in flight: end them now rather
    /// than at the idle timeout. Their silos go on, so a job may still finish in the store.
    /// </summary>
    public void ConnectionLost()
    {
        foreach (var (jobId, pending) in _pending)
        {
            Fail(jobId, pending, "This gateway lost its connection to the message bus, and with it this job's answer; the job may still finish (see GET /v1/jobs/{id}). Retry the request.");
        }
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
        // A new run of the job: the silo running it died and the broker gave it to another, or the silo lost the broker
        // and took the job again (its events start over at 0).
        var rerun = (pending.Owner is { } owner && owner != envelope.Silo) || (envelope.Sequence == 0 && pending.NextSequence > 0);
        if (rerun)
        {
            // Text already sent can't be taken back, so only a client that got none may follow the new run.
            if (pending.SentText)
            {
                Fail(envelope.JobId, pending,
                    "The silo running this job was lost mid-answer. The job was resumed (see GET /v1/jobs/{id}), but this stream cannot continue; retry the request.");
                return;
            }

            pending.NextSequence = 0;
        }

        // A gap is an event lost on the way: the broker deletes this gateway's queue while it is cut off, and a silo cut
        // off drops what it posts. Passing on what follows would give the client an answer with a hole in it.
        if (envelope.Sequence is { } sequence)
        {
            if (sequence != pending.NextSequence)
            {
                Fail(envelope.JobId, pending,
                    "Part of this job's answer was lost between silo and gateway (the message bus was interrupted); retry the request.");
                return;
            }

            pending.NextSequence = sequence + 1;
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

    private void Fail(string jobId, PendingJob pending, string message)
    {
        if (_pending.TryRemove(jobId, out _))
        {
            pending.End(new JobFailed(new JobError(JobErrorCode.Unavailable, message)));
        }
    }

    private sealed class PendingJob(DateTimeOffset submittedAt)
    {
        public Channel<JobEvent> Events { get; } = Channel.CreateUnbounded<JobEvent>(new UnboundedChannelOptions { SingleReader = true });

        public DateTimeOffset LastEventAt { get; set; } = submittedAt;

        /// <summary>The queue of the silo running the job, from its first event.</summary>
        public string? Owner { get; set; }

        public bool SentText { get; set; }

        /// <summary>The sequence number the next event of the current run must carry.</summary>
        public long NextSequence { get; set; }

        public CancellationTokenRegistration ClientGone { get; set; }

        public void End(JobEvent ending)
        {
            Events.Writer.TryWrite(ending);
            Events.Writer.TryComplete();
            ClientGone.Dispose();
        }
    }
}
