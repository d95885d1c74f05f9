namespace Infera.Trust;

/// <summary>How nodes earn and lose trust. Section <c>Infera:Trust</c>.</summary>
public sealed class TrustOptions
{
    /// <summary>Where a new node's agreement score starts (0–1): new nodes are trusted little until they agree. Default 0.2.</summary>
    public double InitialAgreement { get; set; } = 0.2;

    /// <summary>Weight of one outcome in each moving average. Default 0.1.</summary>
    public double Alpha { get; set; } = 0.1;

    /// <summary>Stake (in points, until there is a chain) a node is bonded with when first seen. Default 100.</summary>
    public double InitialStake { get; set; } = 100;

    /// <summary>Points earned per agreeing job. Default 1.</summary>
    public double RewardPerAgreement { get; set; } = 1;

    /// <summary>Fraction of the remaining stake slashed per offence (a disagreeing verdict or a failed canary). Default 0.2.</summary>
    public double SlashFraction { get; set; } = 0.2;

    /// <summary>Out of routing after a first offence; doubles with each further offence. Default 10 s.</summary>
    public TimeSpan CoolingOff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest cooling-off, however many offences. Default 1 day.</summary>
    public TimeSpan MaxCoolingOff { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Below this reputation a node is ejected. Default 15: a new node (20) is out after three offences, a long-trusted
    /// one after a run of them.
    /// </summary>
    public double ReputationFloor { get; set; } = 15;

    /// <summary>With less stake than this left a node is ejected. Default 1.</summary>
    public double MinimumStake { get; set; } = 1;

    /// <summary>
    /// Verdicts a node needs before its agreement can condemn others: a group of newer nodes alone cannot outvote a
    /// dissenter (the job is escalated or left unverified instead). Default 10.
    /// </summary>
    public int EstablishedVerdicts { get; set; } = 10;

    /// <summary>Reputation from which a node counts as trusted (adaptive verification samples its jobs). Default 80.</summary>
    public double TrustedReputation { get; set; } = 80;
}
