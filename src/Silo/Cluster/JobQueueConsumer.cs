using System.Collections.Concurrent;
using Infera.Cluster;
using Infera.Jobs;
using Infera.Messaging.RabbitMq;
using Infera.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Infera.Silo.Cluster;

/// <summary>
/// Takes submitted jobs from the shared work queue and runs them here, sending their events to the submitting
/// gateway. A job is acknowledged only when it has settled: if this silo dies first, the broker hands it to another
/// silo, which runs it again under the same id. Prefetch (<see cref="ClusterOptions.MaxJobs"/>) bounds what one silo
/// holds.
/// </summary>
internal sealed partial class JobQueueConsumer(
    RabbitMqBus bus,
    JobService jobs,
    IJobStore store,
    IOptions<ClusterOptions> cluster,
    IOptions<SiloOptions> silo,
    ILogger<JobQueueConsumer> logger) : IBusSubscription
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly string _ownQueue = bus.Options.SiloQueue(silo.Value.SiloId);

    public string Queue => bus.Options.JobsQueue;

    public bool Private => false;

    public ushort Prefetch => cluster.Value.MaxJobs;

    /// <summary>Set when the silo drains: jobs already delivered here go back to the queue for another silo.</summary>
    public bool Refusing { get; set; }

    public async Task HandleAsync(ClusterMessage message, Delivery delivery)
    {
        if (message is not SubmitJob submit)
        {
            await delivery.AckAsync();
            return;
        }

        if (Refusing)
        {
            await delivery.RequeueAsync();
            return;
        }

        if (delivery.Redelivered && await FinishedEarlierAsync(submit))
        {
            await delivery.AckAsync();
            return;
        }

        var cancel = new CancellationTokenSource();
        _running[submit.JobId] = cancel;
        var (stream, completion) = jobs.Start(submit.JobId, submit.Request, cancel.Token);
        LogJobTaken(logger, submit.JobId, delivery.Redelivered);
        _ = RelayAsync(submit, stream, completion, delivery, cancel);
    }

    /// <summary>The job's client went away (its gateway said so).</summary>
    public void Cancel(string jobId)
    {
        if (_running.TryGetValue(jobId, out var cancel))
        {
            cancel.Cancel();
        }
    }

    private async Task RelayAsync(SubmitJob submit, JobStream stream, Task completion, Delivery delivery, CancellationTokenSource cancel)
    {
        try
        {
            var sequence = 0L;
            await foreach (var e in stream.Events.ReadAllAsync())
            {
                bus.Post(submit.ReplyTo, new JobEventEnvelope(submit.JobId, _ownQueue, e, sequence++));
            }

            await completion;
        }
        catch (Exception ex)
        {
            LogJobFailed(logger, submit.JobId, ex);
        }
        finally
        {
            _running.TryRemove(submit.JobId, out _);
            cancel.Dispose();
            await delivery.AckAsync();
        }
    }

    /// <summary>
    /// A job handed out again may have finished before its silo died unacknowledged: its gateway then gets the recorded
    /// ending instead of a second run.
    /// </summary>
    private async Task<bool> FinishedEarlierAsync(SubmitJob submit)
    {
        var stored = await store.FindAsync(submit.JobId, CancellationToken.None);
        if (stored is not { Job: var job } || job.Status == JobStatuses.Running)
        {
            return false;
        }

        JobEvent ending = job.Error is { } error
            ? new JobFailed(new JobError(ErrorCodes.Parse(error.Code), error.Message))
            : new JobCompleted(job.FinishReason ?? "stop", job.Usage?.PromptTokens ?? 0, job.Usage?.CompletionTokens ?? 0);
        bus.Post(submit.ReplyTo, new JobEventEnvelope(submit.JobId, _ownQueue, ending, Sequence: 0));
        return true;
    }

    [LoggerMessage(6401, LogLevel.Debug, "Took job {JobId} (redelivered: {Redelivered})")]
    private static partial void LogJobTaken(ILogger logger, string jobId, bool redelivered);

    [LoggerMessage(6402, LogLevel.Error, "Job {JobId} failed inside the silo")]
    private static partial void LogJobFailed(ILogger logger, string jobId, Exception exception);
}
