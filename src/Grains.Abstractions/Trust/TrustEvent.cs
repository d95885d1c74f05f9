namespace Infera.Trust;

/// <summary>One line of a node's ledger: what changed, by how much, and why.</summary>
public sealed record TrustEvent(
    string Address,
    string? JobId,
    string Kind,
    double ReputationBefore,
    double ReputationAfter,
    double StakeDelta,
    double PointsDelta,
    string Reason,
    DateTimeOffset At);

/// <summary>The names of ledger lines.</summary>
public static class TrustEventKinds
{
    public const string Reward = "reward";
    public const string Slash = "slash";
    public const string Failure = "failure";
    public const string Unverified = "unverified";
    public const string Ejected = "ejected";
}
