using System.Text.Json.Serialization;
using Infera.Jobs;
using Infera.NodeLink;

namespace Infera.Cluster;

/// <summary>
/// What gateways and silos send each other through the message bus. Each process reads one queue of its own; silos
/// also share the work queue of submitted jobs.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SubmitJob), "submit_job")]
[JsonDerivedType(typeof(JobEventEnvelope), "job_event")]
[JsonDerivedType(typeof(CancelJob), "cancel_job")]
[JsonDerivedType(typeof(NodeEnvelope), "node")]
public abstract record ClusterMessage;

/// <summary>Gateway → work queue: a job for whichever silo takes it. Events go to <see cref="ReplyTo"/>.</summary>
public sealed record SubmitJob(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("reply_to")] string ReplyTo,
    [property: JsonPropertyName("request")] JobRequest Request) : ClusterMessage;

/// <summary>
/// Silo → gateway: the next event of a job, and the queue of the silo running it (where cancels go).
/// <see cref="Sequence"/> numbers the events of one run of the job from 0, so the gateway can tell an event lost on
/// the way (posted events are not confirmed) from the next one; absent from silos that predate it.
/// </summary>
public sealed record JobEventEnvelope(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("silo")] string Silo,
    [property: JsonPropertyName("event")] JobEvent Event,
    [property: JsonPropertyName("seq")] long? Sequence = null) : ClusterMessage;

/// <summary>Gateway → silo: the job's client went away.</summary>
public sealed record CancelJob([property: JsonPropertyName("job_id")] string JobId) : ClusterMessage;

/// <summary>
/// Silo → silo: a node-link message crossing silos. To the silo holding <see cref="Node"/>'s socket: a dispatch (with
/// the owner's queue in <see cref="ReplyTo"/>) or a cancel. To the silo whose job owns the assignment: the node's token,
/// result or failure.
/// </summary>
public sealed record NodeEnvelope(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("reply_to")] string? ReplyTo,
    [property: JsonPropertyName("message")] NodeLinkMessage Message) : ClusterMessage;
