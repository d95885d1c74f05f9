using System.Text.Json.Serialization;

namespace Infera.Network;

/// <summary>What anyone with an API key may see of the network's nodes: <c>GET /v1/nodes</c> and <c>/v1/nodes/{address}</c>.</summary>
public interface INodeDirectory
{
    Task<IReadOnlyList<NodeView>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The node with its recent verdicts and ledger, or null when never seen.</summary>
    Task<NodeDetailView?> GetAsync(string address, CancellationToken cancellationToken);
}

/// <summary>A node's standing. <see cref="Status"/>: online, offline, cooling_off or ejected.</summary>
public sealed record NodeView(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("operator")] string? Operator,
    [property: JsonPropertyName("backend")] string Backend,
    [property: JsonPropertyName("models")] IReadOnlyList<string> Models,
    [property: JsonPropertyName("reputation")] double Reputation,
    [property: JsonPropertyName("stake")] double Stake,
    [property: JsonPropertyName("points")] double Points,
    [property: JsonPropertyName("offences")] int Offences,
    [property: JsonPropertyName("verdicts")] int Verdicts,
    [property: JsonPropertyName("cooling_off_until")] DateTimeOffset? CoolingOffUntil,
    [property: JsonPropertyName("ejected_at")] DateTimeOffset? EjectedAt,
    [property: JsonPropertyName("ejected_reason")] string? EjectedReason,
    [property: JsonPropertyName("first_seen")] DateTimeOffset FirstSeen,
    [property: JsonPropertyName("last_seen")] DateTimeOffset LastSeen);

public static class NodeStatuses
{
    public const string Online = "online";
    public const string Offline = "offline";
    public const string CoolingOff = "cooling_off";
    public const string Ejected = "ejected";

    /// <summary>A node's status from its standing (null: never scored) and whether some silo holds its socket now.</summary>
    public static string Of(Trust.NodeTrust? standing, bool connected, DateTimeOffset now) =>
        standing?.IsEjected == true ? Ejected
        : !connected ? Offline
        : standing?.IsCoolingOff(now) == true ? CoolingOff
        : Online;
}

/// <summary>A node with the evidence behind its standing.</summary>
public sealed record NodeDetailView(
    [property: JsonPropertyName("node")] NodeView Node,
    [property: JsonPropertyName("recent_verdicts")] IReadOnlyList<NodeVerdictView> RecentVerdicts,
    [property: JsonPropertyName("ledger")] IReadOnlyList<LedgerLineView> Ledger);

public sealed record NodeVerdictView(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("assignment_id")] string AssignmentId,
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("reason")] string? Reason);

public sealed record LedgerLineView(
    [property: JsonPropertyName("job_id")] string? JobId,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("reputation_before")] double ReputationBefore,
    [property: JsonPropertyName("reputation_after")] double ReputationAfter,
    [property: JsonPropertyName("stake_delta")] double StakeDelta,
    [property: JsonPropertyName("points_delta")] double PointsDelta,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("at")] DateTimeOffset At);
