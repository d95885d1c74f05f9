using System.Text;
using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.Jobs;

/// <summary>One node's run of a job. Its reports become signals in the job's mailbox; only the job changes its state.</summary>
internal sealed class Assignment(JobGrain job, string id, NodeGrain node, string role, string? replaces, DateTimeOffset dispatchedAt)
    : IAssignmentSink
{
    public string Id { get; } = id;

    public NodeGrain Node { get; } = node;

    public string Role { get; set; } = role;

    public string? Replaces { get; } = replaces;

    public string Status { get; set; } = AssignmentStatuses.Running;

    public StringBuilder Output { get; } = new();

    public DateTimeOffset DispatchedAt { get; } = dispatchedAt;

    public DateTimeOffset? FirstTokenAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public AssignmentResult? Result { get; set; }

    public string? Error { get; set; }

    /// <summary>How much of <see cref="Output"/> was checked against what the client was already sent.</summary>
    public int CheckedAgainstClient { get; set; }

    public bool IsRunning => Status == AssignmentStatuses.Running;

    public void OnToken(string text) => job.Post(new JobSignal.Token(this, text));

    public void OnResult(AssignmentResult result) => job.Post(new JobSignal.Finished(this, result));

    public void OnFailed(string error) => job.Post(new JobSignal.Lost(this, error));

    public AssignmentView ToView() => new(
        Id,
        Node.Address.Value,
        Role,
        Status,
        Replaces,
        Output.ToString(),
        Result?.FinishReason,
        Error,
        Result?.PromptTokens,
        Result?.CompletionTokens,
        DispatchedAt,
        FirstTokenAt is { } first ? Math.Round((first - DispatchedAt).TotalMilliseconds, 3) : null,
        EndedAt is { } ended ? Math.Round((ended - DispatchedAt).TotalMilliseconds, 3) : null);
}

/// <summary>The messages a job's mailbox holds.</summary>
internal abstract record JobSignal
{
    public sealed record Token(Assignment Assignment, string Text) : JobSignal;

    public sealed record Finished(Assignment Assignment, AssignmentResult Result) : JobSignal;

    public sealed record Lost(Assignment Assignment, string Error) : JobSignal;

    public sealed record DeadlineReached : JobSignal;

    public sealed record ClientGone : JobSignal;

    public sealed record Inspect(TaskCompletionSource<JobView> Reply) : JobSignal;
}
