using System.Text.Json.Serialization;

namespace Infera.NodeLink;

/// <summary>
/// One JSON text frame on the node link (the WebSocket an agent dials). The <c>type</c> field names the message.
/// Version 1 of the protocol; see docs/NODE-LINK.md.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Challenge), "challenge")]
[JsonDerivedType(typeof(Hello), "hello")]
[JsonDerivedType(typeof(Welcome), "welcome")]
[JsonDerivedType(typeof(Rejected), "rejected")]
[JsonDerivedType(typeof(Heartbeat), "heartbeat")]
[JsonDerivedType(typeof(Dispatch), "dispatch")]
[JsonDerivedType(typeof(Cancel), "cancel")]
[JsonDerivedType(typeof(Promote), "promote")]
[JsonDerivedType(typeof(TokenChunk), "token")]
[JsonDerivedType(typeof(AssignmentResult), "result")]
[JsonDerivedType(typeof(AssignmentFailed), "failed")]
[JsonDerivedType(typeof(Drain), "drain")]
public abstract record NodeLinkMessage;

/// <summary>Silo → agent, first frame: sign this to prove who you are.</summary>
public sealed record Challenge(
    [property: JsonPropertyName("protocol")] int Protocol,
    [property: JsonPropertyName("silo_id")] string SiloId,
    [property: JsonPropertyName("nonce")] string Nonce) : NodeLinkMessage;

/// <summary>
/// Agent → silo: identity proof plus what the node offers. <see cref="Operator"/>, when given, is the account that runs
/// the node, proven by <see cref="OperatorSignature"/>: the operator's EIP-191 signature of
/// <see cref="NodeLinkProtocol.OperatorLinkText"/>.
/// </summary>
public sealed record Hello(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("public_key")] string PublicKey,
    [property: JsonPropertyName("signature")] string Signature,
    [property: JsonPropertyName("signed_at")] long SignedAtUnixMs,
    [property: JsonPropertyName("agent_version")] string AgentVersion,
    [property: JsonPropertyName("backend")] string Backend,
    [property: JsonPropertyName("max_concurrency")] int MaxConcurrency,
    [property: JsonPropertyName("models")] IReadOnlyList<ModelOffer> Models,
    [property: JsonPropertyName("hardware")] HardwareInfo Hardware,
    [property: JsonPropertyName("operator")] string? Operator = null,
    [property: JsonPropertyName("operator_signature")] string? OperatorSignature = null) : NodeLinkMessage;

public sealed record ModelOffer(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("simulated")] bool Simulated = false);

public sealed record HardwareInfo(
    [property: JsonPropertyName("gpu")] string? Gpu,
    [property: JsonPropertyName("vram_mb")] long? VramMb,
    [property: JsonPropertyName("cpu_cores")] int CpuCores,
    [property: JsonPropertyName("ram_mb")] long RamMb);

/// <summary>Silo → agent: accepted; heartbeat at this interval.</summary>
public sealed record Welcome(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("heartbeat_interval_ms")] int HeartbeatIntervalMs) : NodeLinkMessage;

/// <summary>Silo → agent: refused, with the reason; the socket closes after it.</summary>
public sealed record Rejected([property: JsonPropertyName("reason")] string Reason) : NodeLinkMessage;

/// <summary>Agent → silo, periodically: liveness and load; models and hardware when they changed.</summary>
public sealed record Heartbeat(
    [property: JsonPropertyName("active_jobs")] int ActiveJobs,
    [property: JsonPropertyName("models")] IReadOnlyList<ModelOffer>? Models = null) : NodeLinkMessage;

/// <summary>
/// Silo → agent: run this chat completion. <see cref="FlushMs"/>: after the first token, the agent may hold text up to
/// this long and send it as one frame (a replica nobody is reading live); 0 sends every token at once.
/// </summary>
public sealed record Dispatch(
    [property: JsonPropertyName("assignment_id")] string AssignmentId,
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("messages")] IReadOnlyList<Jobs.ChatMessage> Messages,
    [property: JsonPropertyName("sampling")] Jobs.SamplingParameters Sampling,
    [property: JsonPropertyName("flush_ms")] int FlushMs = 0) : NodeLinkMessage;

/// <summary>Silo → agent: stop this assignment; no result is expected.</summary>
public sealed record Cancel([property: JsonPropertyName("assignment_id")] string AssignmentId) : NodeLinkMessage;

/// <summary>Silo → agent: this assignment now streams to the client; send what is held, then every token at once.</summary>
public sealed record Promote([property: JsonPropertyName("assignment_id")] string AssignmentId) : NodeLinkMessage;

/// <summary>Agent → silo: the next piece of generated text.</summary>
public sealed record TokenChunk(
    [property: JsonPropertyName("assignment_id")] string AssignmentId,
    [property: JsonPropertyName("text")] string Text) : NodeLinkMessage;

/// <summary>
/// Agent → silo: generation finished; the text was sent as token chunks. <see cref="Seeded"/>: the backend honoured
/// the job's seed, so replicas' token streams can be compared exactly.
/// </summary>
public sealed record AssignmentResult(
    [property: JsonPropertyName("assignment_id")] string AssignmentId,
    [property: JsonPropertyName("finish_reason")] string FinishReason,
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens,
    [property: JsonPropertyName("seeded")] bool Seeded = false) : NodeLinkMessage;

/// <summary>Agent → silo: the assignment could not be completed.</summary>
public sealed record AssignmentFailed(
    [property: JsonPropertyName("assignment_id")] string AssignmentId,
    [property: JsonPropertyName("error")] string Error) : NodeLinkMessage;

/// <summary>Silo → agent: take no new work and reconnect (elsewhere) after in-flight jobs end.</summary>
public sealed record Drain([property: JsonPropertyName("reason")] string Reason) : NodeLinkMessage;
