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

    /// <summary>Out of routing after a first offence; doubles with each further offence. Default 1 min.</summary>
    public TimeSpan CoolingOff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest cooling-off, however many offences. Default 1 day.</summary>
    public TimeSpan MaxCoolingOff { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Below this reputation a node is ejected. Default 5.</summary>
    public double ReputationFloor { get; set; } = 5;

    /// <summary>With less stake than this left a node is ejected. Default 1.</summary>
    public double MinimumStake { get; set; } = 1;

    /// <summary>Reputation from which a node counts as trusted (adaptive verification samples its jobs). Default 80.</summary>
    public double TrustedReputation { get; set; } = 80;
}
