namespace Infera.Trust;

/// <summary>
/// A node's standing. Reputation (0–100) is <c>100 × agreement × quality</c>: agreement is the moving average of
/// verdicts (1 agree, 0 disagree), quality blends completion rate, speed against the model's norm and uptime into
/// 0.4–1. The product means no amount of speed or uptime makes up for disagreeing.
/// </summary>
public sealed record NodeTrust(
    string Address,
    double Agreement,
    double Completion,
    double Speed,
    double Uptime,
    double Stake,
    double Points,
    int Offences,
    int Verdicts,
    DateTimeOffset? CoolingOffUntil,
    DateTimeOffset? EjectedAt,
    string? EjectedReason)
{
    public double Reputation => Math.Round(100 * Agreement * Quality, 2);

    public double Quality => 0.4 + (0.2 * Completion) + (0.2 * Speed) + (0.2 * Uptime);

    public bool IsEjected => EjectedAt is not null;

    public bool IsCoolingOff(DateTimeOffset now) => CoolingOffUntil is { } until && until > now;

    /// <summary>Whether the node may be given jobs now.</summary>
    public bool IsRoutable(DateTimeOffset now) => !IsEjected && !IsCoolingOff(now);

    public static NodeTrust New(string address, double initialAgreement, double initialStake) =>
        new(address, initialAgreement, 1, 1, 1, initialStake, 0, 0, 0, null, null, null);
}
