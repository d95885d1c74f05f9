namespace Infera.Simulation;

/// <summary>What one scenario measured, read back from the stored jobs and the trust ledger.</summary>
public sealed record ScenarioResult(
    Scenario Scenario,
    int UserJobs,
    int UserJobsFailed,
    int AdversarialOutputs,
    int AdversarialOutputsDetected,
    int AdversarialOutputsAgreed,
    int AdversarialOutputsInColdStart,
    int UndetectedInColdStart,
    int BadAnswersDelivered,
    int BadAnswersDeliveredUndetected,
    int HonestNodeJobs,
    int HonestSlashes,
    int HonestNodesSlashed,
    int HonestNodesEjected,
    int Adversaries,
    IReadOnlyList<int> JobsUntilEjected,
    int NodeJobs,
    int CanaryJobs,
    TimeSpan Elapsed)
{
    /// <summary>Deviant adversarial outputs given a "disagree" verdict; null when adversaries completed nothing.</summary>
    public double? DetectionRate => AdversarialOutputs == 0 ? null : (double)AdversarialOutputsDetected / AdversarialOutputs;

    /// <summary>Slashes of honest nodes per honest node-job completed.</summary>
    public double HonestFalseSlashRate => HonestNodeJobs == 0 ? 0 : (double)HonestSlashes / HonestNodeJobs;

    /// <summary>Share of user jobs whose client was given an adversary's output.</summary>
    public double BadAnswerRate => UserJobs == 0 ? 0 : (double)BadAnswersDelivered / UserJobs;

    /// <summary>Assignments dispatched, user and canary jobs together, per user job.</summary>
    public double NodeJobsPerUserJob => UserJobs == 0 ? 0 : (double)NodeJobs / UserJobs;

    public int Ejected => JobsUntilEjected.Count;

    /// <summary>Deviant adversarial outputs not detected: agreed with a majority, or left undecided without one.</summary>
    public int Undetected => AdversarialOutputs - AdversarialOutputsDetected;

    public int AdversarialOutputsUndecided => Undetected - AdversarialOutputsAgreed;

    /// <summary>Detection once the first <see cref="Measurement.ColdStartJobs"/> user jobs are past; null when nothing came after.</summary>
    public double? DetectionAfterColdStart =>
        AdversarialOutputs - AdversarialOutputsInColdStart is var after and > 0
            ? (double)(after - (Undetected - UndetectedInColdStart)) / after
            : null;
}
