using System.Text;
using System.Threading.Channels;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Verification;
using Microsoft.Extensions.Logging;

namespace Infera.Jobs;

/// <summary>
/// One job, from acceptance to settlement. It picks k distinct nodes, dispatches to all of them, relays the primary's
/// tokens to the client, replaces nodes that fail or time out, then verifies the outputs and settles reputation.
/// Every state change happens in <see cref="RunAsync"/>, one mailbox signal at a time.
/// </summary>
/// <remarks>
/// When the node streaming to the client fails, the stream moves to another running or finished replica whose text
/// begins with everything the client already has. Before the first token any replica qualifies, so the client never
/// notices; later, replicas of a seeded job usually produce the same text, so the stream goes on seamlessly. Only
/// when no replica matches does the client get an error event.
/// </remarks>
public sealed partial class JobGrain
{
    // Synchronous continuations: a token is handled on the thread that read it from the node's socket, and the client's
    // writer runs on it too, instead of each hop waking another thread-pool thread.
    // Only the code up to each side's next real wait runs inline; the grain's own turn still runs one at a time.
    private readonly Channel<JobSignal> _inbox = Channel.CreateUnbounded<JobSignal>(new() { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Channel<JobEvent> _client = Channel.CreateUnbounded<JobEvent>(new() { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });
    private readonly List<Assignment> _assignments = [];
    private readonly StringBuilder _sent = new();
    private readonly JobDependencies _deps;
    private readonly JobOptions _options;
    private readonly ILogger _logger;
    private Assignment? _streaming;
    private ClientState _clientState = ClientState.Open;
    private JobCompleted? _completion;
    private JobError? _error;
    private VerificationView? _verification;
    private int _replacementsLeft;
    private ITimer? _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private string _status = JobStatuses.Running;
    private DateTimeOffset? _endedAt;
    private int _assignmentCounter;
    private int _redundancy;
    private bool _sampledOut;
    private bool _escalated;
    private (int Outputs, Verification.VerificationResult Result)? _judged;

    internal JobGrain(string id, JobRequest request, JobDependencies deps)
    {
        Id = id;
        Request = request;
        _deps = deps;
        _options = deps.Options;
        _logger = deps.Logger;
        // A canary tests one chosen node: replacing it would test someone else.
        _replacementsLeft = request.Canary?.TargetNode is null ? _options.MaxReplacements : 0;
        CreatedAt = deps.Clock.GetUtcNow();
    }

    public string Id { get; }

    public JobRequest Request { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The client's events: deltas, then one completion or failure.</summary>
    public ChannelReader<JobEvent> Events => _client.Reader;

    /// <summary>The job as finally saved; null until it has ended.</summary>
    public JobView? Final { get; private set; }

    /// <summary>The job's whole life, settlement and storage included.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    private bool ClientOpen => _clientState == ClientState.Open;

    private DateTimeOffset Now => _deps.Clock.GetUtcNow();

    public void Start(CancellationToken clientAborted) => Completion = RunAsync(clientAborted);

    internal void Post(JobSignal signal) => _inbox.Writer.TryWrite(signal);

    /// <summary>The job as it stands, answered in the job's own turn; null once the job has ended.</summary>
    public async Task<JobView?> InspectAsync(CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<JobView>();
        if (!_inbox.Writer.TryWrite(new JobSignal.Inspect(reply)))
        {
            return null;
        }

        var finished = Completion;
        var answered = await Task.WhenAny(reply.Task, finished).WaitAsync(cancellationToken);
        return answered == reply.Task ? await reply.Task : null;
    }

    private async Task RunAsync(CancellationToken clientAborted)
    {
        await Task.Yield(); // the caller gets the job id and event stream before any scheduling work
        using var activity = StartActivity();
        using var aborted = clientAborted.Register(() => Post(new JobSignal.ClientGone()));
        _timer = _deps.Clock.CreateTimer(_ => Post(new JobSignal.DeadlineReached()), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Task saved = Task.CompletedTask;
        try
        {
            if (await DispatchInitialAsync())
            {
                saved = SaveAsync();
                do
                {
                    await ProcessMailboxAsync();
                }
                while (await TryEscalateAsync());

                await _timer.DisposeAsync();
                await SettleAsync();
            }
            else
            {
                // Refused before any node ran it (no such model, no capacity): recorded as failed, nothing to verify.
                _status = JobStatuses.Failed;
                _endedAt = Now;
            }

            await saved;
            await SaveAsync();
            Final = ToView();
        }
        catch (Exception ex)
        {
            LogJobCrashed(_logger, ex, Id);
            FailClient(JobErrorCode.Internal, "The job failed inside the silo.");
            _status = JobStatuses.Failed;
            _endedAt = Now;
            await TrySaveAfterCrashAsync();
        }
        finally
        {
            RecordEnded(activity);
            _inbox.Writer.TryComplete();
            _client.Writer.TryComplete();
            foreach (var assignment in _assignments.Where(a => a.IsRunning))
            {
                assignment.Node.Release(assignment.Id);
            }

            _deps.OnEnded(this);
        }
    }

    /// <summary>Handles signals one at a time until every assignment has ended.</summary>
    /// <remarks>
    /// Not <c>ReadAllAsync</c>: it resumes with <c>ConfigureAwait(false)</c>, which would move the grain off its
    /// caller's synchronization context (a simulation's single thread) onto the thread pool.
    /// </remarks>
    private async Task ProcessMailboxAsync()
    {
        while (await _inbox.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (_inbox.Reader.TryRead(out var signal))
            {
                await HandleAsync(signal);
                if (IsSettled())
                {
                    return;
                }

                ArmDeadline();
            }
        }
    }

    /// <summary>
    /// Completes an inspection outside this turn, so the asker's code never runs inside the grain: on the current
    /// synchronization context when there is one (in order, so a simulation stays a function of its seed), else on
    /// the thread pool.
    /// </summary>
    private static void Answer(TaskCompletionSource<JobView> reply, JobView view)
    {
        if (SynchronizationContext.Current is { } context)
        {
            context.Post(_ => reply.TrySetResult(view), null);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => reply.TrySetResult(view), null);
        }
    }

    private async Task<bool> DispatchInitialAsync()
    {
        var poolSize = _deps.Registry.PoolSize(Request.Model);
        if (poolSize == 0)
        {
            FailClient(JobErrorCode.ModelNotFound, $"The model '{Request.Model}' is not served by any live node.");
            return false;
        }

        // Two draws of candidates at most: a busy sample of a large pool is not proof that the whole pool is busy.
        for (var draw = 0; draw < 2 && _assignments.Count == 0; draw++)
        {
            var candidates = CandidatesForDispatch();
            var ranked = NodeSelector.Rank(candidates, Math.Max(1, _options.Redundancy), EmptySet, EmptySet, _deps.Random, Now);
            var wanted = _redundancy = PlanRedundancy(ranked);
            foreach (var node in ranked)
            {
                if (_assignments.Count == wanted)
                {
                    break;
                }

                TryReserve(node, AssignmentRoles.Replica, replaces: null);
            }

            if (candidates.Count >= poolSize)
            {
                break; // the sample was the whole pool
            }
        }

        if (_assignments.Count == 0)
        {
            FailClient(JobErrorCode.NoCapacity, $"The node(s) serving '{Request.Model}' are busy or cooling off; retry shortly.");
            return false;
        }

        // The most trusted node reserved streams to the client; the others are its replicas.
        _streaming = _assignments.MaxBy(a => a.Node.Reputation)!;
        foreach (var assignment in _assignments)
        {
            assignment.Role = assignment == _streaming ? AssignmentRoles.Primary : AssignmentRoles.Replica;
        }

        LogJobDispatched(_logger, Id, Request.Model, _assignments.Count, _redundancy);
        foreach (var assignment in _assignments)
        {
            await SendDispatchAsync(assignment);
        }

        ArmDeadline();
        return true;
    }

    /// <summary>The nodes a new job chooses among: a random sample of the model's pool, or the canary's one target.</summary>
    private List<NodeGrain> CandidatesForDispatch()
    {
        if (Request.Canary?.TargetNode is { } target)
        {
            return Identity.NodeAddress.TryParse(target, out var address) && _deps.Registry.TryGet(address, out var node) && node!.Serves(Request.Model)
                ? [node]
                : [];
        }

        return _deps.Registry.Candidates(Request.Model, Math.Max(CandidateSample, 8 * _options.Redundancy), _deps.Random);
    }

    /// <summary>How many nodes this job runs on: k, or one for a canary and for an unsampled trusted node in adaptive mode.</summary>
    private int PlanRedundancy(List<NodeGrain> ranked)
    {
        if (Request.Canary?.TargetNode is not null)
        {
            return 1;
        }

        var k = Math.Max(1, _options.Redundancy);
        if (k == 1 || _options.Verification != VerificationMode.Adaptive || ranked.Count == 0)
        {
            return k;
        }

        // The node that would be primary decides: a trusted one runs the job alone unless this job is sampled.
        var primary = ranked.Take(k).MaxBy(n => n.Reputation)!;
        if (primary.Reputation < _deps.Reputation.Policy.Options.TrustedReputation || _deps.Random.NextDouble() < _options.AdaptiveSampleRate)
        {
            return k;
        }

        ranked.Remove(primary);
        ranked.Insert(0, primary);
        _sampledOut = true;
        return 1;
    }

    private async ValueTask HandleAsync(JobSignal signal)
    {
        switch (signal)
        {
            case JobSignal.Token { Assignment: var a, Text: var text } when a.IsRunning:
                a.FirstTokenAt ??= Now;
                a.Output.Append(text);
                if (a == _streaming)
                {
                    Relay();
                }

                break;

            case JobSignal.Finished { Assignment: var a, Result: var result } when a.IsRunning:
                End(a, AssignmentStatuses.Completed, error: null);
                a.Result = result;
                if (a == _streaming)
                {
                    Relay();
                    CompleteClientFrom(a);
                }

                break;

            case JobSignal.Lost { Assignment: var a, Error: var error } when a.IsRunning:
                End(a, AssignmentStatuses.Failed, error);
                await OnAssignmentLostAsync(a);
                break;

            case JobSignal.DeadlineReached:
                _armedFor = DateTimeOffset.MaxValue;
                foreach (var a in _assignments.Where(a => a.IsRunning && Now >= DeadlineOf(a)).ToList())
                {
                    End(a, AssignmentStatuses.Failed, a.FirstTokenAt is null ? "no first token before the deadline" : "did not finish before the deadline");
                    await SendCancelAsync(a);
                    await OnAssignmentLostAsync(a);
                }

                break;

            case JobSignal.ClientGone when ClientOpen:
                _clientState = ClientState.Cancelled;
                foreach (var a in _assignments.Where(a => a.IsRunning).ToList())
                {
                    End(a, AssignmentStatuses.Cancelled, "the client went away");
                    await SendCancelAsync(a);
                }

                break;

            case JobSignal.Inspect { Reply: var reply }:
                Answer(reply, ToView());
                break;
        }
    }

    private async ValueTask OnAssignmentLostAsync(Assignment lost)
    {
        LogAssignmentLost(_logger, Id, lost.Id, lost.Node.Address.Value, lost.Error);
        var replacement = _clientState != ClientState.Cancelled ? TryReserveReplacement(lost) : null;
        if (replacement is not null)
        {
            await SendDispatchAsync(replacement);
        }

        if (lost != _streaming || !ClientOpen)
        {
            return;
        }

        // The client's source is gone: continue from the most advanced replica that agrees with what was sent.
        var next = _assignments
            .Where(a => a != lost && a.Status is AssignmentStatuses.Running or AssignmentStatuses.Completed && AgreesWithClient(a))
            .OrderByDescending(a => a.Status == AssignmentStatuses.Completed)
            .ThenByDescending(a => a.Output.Length)
            .FirstOrDefault();
        if (next is null)
        {
            FailClient(
                JobErrorCode.NodeFailure,
                _sent.Length == 0
                    ? "Every node that could run this job failed; retry shortly."
                    : "The node streaming this answer failed mid-stream and no replica's text continued it.");
            return;
        }

        LogStreamMoved(_logger, Id, lost.Id, next.Id, _sent.Length);
        next.Role = AssignmentRoles.Primary;
        _streaming = next;
        Relay();
        if (next.Status == AssignmentStatuses.Completed)
        {
            CompleteClientFrom(next);
        }
        else if (FlushMsFor(next) == 0)
        {
            await SendPromoteAsync(next);
        }
    }

    /// <summary>Sends the client whatever the streaming assignment has beyond what the client already has.</summary>
    private void Relay()
    {
        if (!ClientOpen || Request.WaitForVerification || _streaming is not { } source)
        {
            return;
        }

        var output = source.Output;
        var common = Math.Min(output.Length, _sent.Length);
        for (var i = source.CheckedAgainstClient; i < common; i++)
        {
            if (output[i] != _sent[i])
            {
                FailClient(JobErrorCode.NodeFailure, "The replacement node's text diverged from the text already streamed.");
                return;
            }
        }

        source.CheckedAgainstClient = common;
        if (output.Length > _sent.Length)
        {
            RecordFirstToken();
            var delta = output.ToString(_sent.Length, output.Length - _sent.Length);
            _sent.Append(delta);
            source.CheckedAgainstClient = output.Length;
            _client.Writer.TryWrite(new TokenDelta(delta));
        }
    }

    private bool AgreesWithClient(Assignment a)
    {
        var common = Math.Min(a.Output.Length, _sent.Length);
        for (var i = 0; i < common; i++)
        {
            if (a.Output[i] != _sent[i])
            {
                return false;
            }
        }

        return true;
    }

    private void CompleteClientFrom(Assignment a)
    {
        if (!ClientOpen || Request.WaitForVerification)
        {
            return;
        }

        _clientState = ClientState.Completed;
        _completion = new JobCompleted(a.Result?.FinishReason ?? "stop", a.Result?.PromptTokens ?? 0, a.Result?.CompletionTokens ?? 0);
        _client.Writer.TryWrite(_completion);
    }

    private void FailClient(JobErrorCode code, string message)
    {
        if (!ClientOpen)
        {
            return;
        }

        _clientState = ClientState.Failed;
        _error = new JobError(code, message);
        _client.Writer.TryWrite(new JobFailed(_error));
    }

    private async Task TrySaveAfterCrashAsync()
    {
        try
        {
            await SaveAsync();
        }
        catch (Exception ex)
        {
            // The store may be what failed; the next start's rescuer marks the job failed then.
            LogJobCrashed(_logger, ex, Id);
        }
    }

    private bool IsSettled()
    {
        if (_assignments.Any(a => a.IsRunning))
        {
            return false;
        }

        if (ClientOpen && !Request.WaitForVerification)
        {
            // Nothing runs and the client has no answer: nothing more can come.
            FailClient(JobErrorCode.NodeFailure, "Every node that could run this job failed; retry shortly.");
        }

        return true;
    }

    private static readonly HashSet<string> EmptySet = [];

    // Enough candidates that the weighted draw and the operator/subnet spread behave as over the whole pool.
    private const int CandidateSample = 32;

    private enum ClientState
    {
        Open,
        Completed,
        Failed,
        Cancelled,
    }
}
