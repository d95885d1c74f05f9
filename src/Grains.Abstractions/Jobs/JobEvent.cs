using System.Text.Json.Serialization;

namespace Infera.Jobs;

/// <summary>What a client of a job sees, in order: deltas, then exactly one completion or failure.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TokenDelta), "token")]
[JsonDerivedType(typeof(JobCompleted), "completed")]
[JsonDerivedType(typeof(JobFailed), "failed")]
public abstract record JobEvent;

/// <summary>Text to append to the answer.</summary>
public sealed record TokenDelta(string Text) : JobEvent;

/// <summary>The answer is complete.</summary>
public sealed record JobCompleted(string FinishReason, int PromptTokens, int CompletionTokens) : JobEvent;

/// <summary>The job failed; no further events follow.</summary>
public sealed record JobFailed(JobError Error) : JobEvent;

public sealed record JobError(JobErrorCode Code, string Message);

public enum JobErrorCode
{
    /// <summary>No live node serves the model.</summary>
    ModelNotFound,

    /// <summary>Nodes serve the model but none can take the job now.</summary>
    NoCapacity,

    /// <summary>Every node tried for the job failed.</summary>
    NodeFailure,

    /// <summary>The job ran past its deadline.</summary>
    Timeout,

    /// <summary>The client went away or the silo shut down.</summary>
    Cancelled,

    /// <summary>A fault inside the silo.</summary>
    Internal,

    /// <summary>The silo running the job was lost mid-answer, or the cluster cannot take jobs now; retrying may succeed.</summary>
    Unavailable,
}
