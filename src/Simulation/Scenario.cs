using Infera.Jobs;

namespace Infera.Simulation;

/// <summary>
/// One run: <see cref="Fraction"/> of <see cref="Nodes"/> nodes are <see cref="Adversary"/>, the rest honest, and
/// <see cref="Jobs"/> user jobs arrive one per 500 ms tick. Everything random is drawn from <see cref="Seed"/>.
/// <see cref="Settings"/> override the product's options by the silo's configuration keys
/// (<c>Infera:Verification:Threshold</c>, <c>Infera:Trust:ReputationFloor</c>, ...), to try a policy before changing it.
/// </summary>
public sealed record Scenario(
    Adversary Adversary,
    double Fraction,
    VerificationMode Mode,
    int Nodes = 30,
    int Jobs = 2000,
    int Seed = 1,
    int MeanLatencyTicks = 4,
    IReadOnlyDictionary<string, string?>? Settings = null)
{
    /// <summary>How many of the nodes are adversaries: the fraction of the nodes, rounded half away from zero.</summary>
    public int AdversaryCount => (int)Math.Round(Fraction * Nodes, MidpointRounding.AwayFromZero);

    /// <summary>The standard set: every adversary at 10%, 30% and 45% of the nodes, in full and adaptive mode.</summary>
    public static IReadOnlyList<Scenario> Standard(int nodes, int jobs, int seed, int meanLatencyTicks, IReadOnlyDictionary<string, string?>? settings = null) =>
    [
        .. from adversary in Enum.GetValues<Adversary>()
           from fraction in Fractions
           from mode in new[] { VerificationMode.Full, VerificationMode.Adaptive }
           select new Scenario(adversary, fraction, mode, nodes, jobs, seed, meanLatencyTicks, settings),
    ];

    public static IReadOnlyList<double> Fractions { get; } = [0.10, 0.30, 0.45];
}
