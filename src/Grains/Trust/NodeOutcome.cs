namespace Infera.Trust;

/// <summary>What one node did in one job, as trust sees it.</summary>
public sealed record NodeOutcome(
    string JobId,
    OutcomeKind Kind,
    string Reason,
    double? SpeedRatio = null,
    bool Canary = false);

public enum OutcomeKind
{
    /// <summary>Its output agreed with the consensus (or the canary's known answer).</summary>
    Agreed,

    /// <summary>Its output disagreed: an offence.</summary>
    Disagreed,

    /// <summary>Completed, but there was nothing to compare it with or no consensus.</summary>
    Unverified,

    /// <summary>It failed or timed out: not an offence, but it lowers the completion rate.</summary>
    Failed,
}
