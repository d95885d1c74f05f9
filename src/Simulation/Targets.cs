using Infera.Jobs;

namespace Infera.Simulation;

/// <summary>The targets the issue sets, and which of them a scenario's figures miss.</summary>
public static class Targets
{
    /// <summary>Detection of (a)–(d) at every share of adversaries.</summary>
    public const double Detection = 0.99;

    /// <summary>Detection of (e), up to <see cref="SybilShare"/> of the nodes.</summary>
    public const double SybilDetection = 0.95;

    public const double SybilShare = 0.30;

    /// <summary>Slashes of honest nodes per honest node-job.</summary>
    public const double HonestFalseSlash = 0.001;

    /// <summary>Node-jobs (user and canary) per user job in adaptive mode.</summary>
    public const double AdaptiveNodeJobs = 1.3;

    public const string Summary =
        "detection ≥ 99% for (a)–(d) and ≥ 95% for (e) up to 30% of the nodes; honest nodes falsely slashed ≤ 0.1% of " +
        "their node-jobs; adaptive mode ≤ 1.3 node-jobs per user job";

    /// <summary>The detection target of a scenario; null where the issue sets none (sybils above 30%).</summary>
    public static double? DetectionTarget(Scenario scenario) =>
        scenario.Adversary != Adversary.Sybil ? Detection
        : scenario.Fraction <= SybilShare + 1e-9 ? SybilDetection
        : null;

    public static bool DetectionMet(ScenarioResult r) =>
        DetectionTarget(r.Scenario) is not { } target || r.DetectionRate is not { } rate || rate >= target;

    public static bool FalseSlashMet(ScenarioResult r) => r.HonestFalseSlashRate <= HonestFalseSlash;

    public static bool NodeJobsMet(ScenarioResult r) =>
        r.Scenario.Mode != VerificationMode.Adaptive || r.NodeJobsPerUserJob <= AdaptiveNodeJobs;

    /// <summary>Each target the scenario misses, with its figure; empty when it meets them all.</summary>
    public static IReadOnlyList<string> Missed(ScenarioResult r)
    {
        var missed = new List<string>();
        if (!DetectionMet(r))
        {
            missed.Add($"detection {Format.Percent(r.DetectionRate!.Value)} < {Format.Percent(DetectionTarget(r.Scenario)!.Value)}");
        }

        if (!FalseSlashMet(r))
        {
            missed.Add($"false slash {Format.Percent(r.HonestFalseSlashRate, 2)} > {Format.Percent(HonestFalseSlash, 1)}");
        }

        if (!NodeJobsMet(r))
        {
            missed.Add($"node-jobs {Format.Ratio(r.NodeJobsPerUserJob)} > {Format.Ratio(AdaptiveNodeJobs)}");
        }

        return missed;
    }
}
