using System.Text.Json.Serialization;

namespace Infera.Jobs;

/// <summary>A job as stored and as <c>GET /v1/jobs/{id}</c> returns it.</summary>
public sealed record JobView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("stream")] bool Stream,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("completed_at")] DateTimeOffset? CompletedAt,
    [property: JsonPropertyName("finish_reason")] string? FinishReason,
    [property: JsonPropertyName("usage")] UsageView? Usage,
    [property: JsonPropertyName("error")] JobErrorView? Error,
    [property: JsonPropertyName("redundancy")] int Redundancy,
    [property: JsonPropertyName("assignments")] IReadOnlyList<AssignmentView> Assignments,
    [property: JsonPropertyName("verification")] VerificationView? Verification)
{
    public const string ObjectName = "infera.job";
}

public static class JobStatuses
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

public sealed record UsageView(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens,
    [property: JsonPropertyName("total_tokens")] int TotalTokens);

public sealed record JobErrorView(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

/// <summary>One node's part in a job.</summary>
public sealed record AssignmentView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("replaces")] string? Replaces,
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("finish_reason")] string? FinishReason,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("prompt_tokens")] int? PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int? CompletionTokens,
    [property: JsonPropertyName("dispatched_at")] DateTimeOffset DispatchedAt,
    [property: JsonPropertyName("time_to_first_token_ms")] double? TimeToFirstTokenMs,
    [property: JsonPropertyName("total_ms")] double? TotalMs);

public static class AssignmentRoles
{
    public const string Primary = "primary";
    public const string Replica = "replica";
}

public static class AssignmentStatuses
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>How a job's outputs compared, and which one its client got.</summary>
public sealed record VerificationView(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("verdicts")] IReadOnlyList<VerdictView> Verdicts,
    [property: JsonPropertyName("similarities")] IReadOnlyList<SimilarityView> Similarities,
    [property: JsonPropertyName("returned_assignment")] string? ReturnedAssignment,
    [property: JsonPropertyName("returned_node")] string? ReturnedNode,
    [property: JsonPropertyName("returned_output_agreed")] bool? ReturnedOutputAgreed,
    [property: JsonPropertyName("explanation")] string Explanation);

public static class VerificationStatuses
{
    /// <summary>A majority of outputs agreed.</summary>
    public const string Verified = "verified";

    /// <summary>Too few outputs, or no majority: nobody is rewarded or slashed.</summary>
    public const string Unverified = "unverified";
}

/// <summary>A node's verdict: <see cref="Score"/> is its mean similarity to its peers; <see cref="Reason"/> says why.</summary>
public sealed record VerdictView(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("assignment_id")] string AssignmentId,
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("reason")] string? Reason = null);

public static class Verdicts
{
    public const string Agree = "agree";
    public const string Disagree = "disagree";
    public const string Undecided = "undecided";
}

public sealed record SimilarityView(
    [property: JsonPropertyName("a")] string A,
    [property: JsonPropertyName("b")] string B,
    [property: JsonPropertyName("similarity")] double Similarity);
