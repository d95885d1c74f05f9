namespace Infera.Jobs;

/// <summary>How jobs are run. Section <c>Infera:Jobs</c>.</summary>
public sealed class JobOptions
{
    /// <summary>How many distinct nodes run each job (k). Default 3.</summary>
    public int Redundancy { get; set; } = 3;

    /// <summary>How many extra dispatches a job may make to replace nodes that failed or timed out. Default 3.</summary>
    public int MaxReplacements { get; set; } = 3;

    /// <summary>A node that has sent no token this long after dispatch is given up on. Default 60 s (model loads are slow).</summary>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A node that has not finished this long after dispatch is given up on. Default 10 min.</summary>
    public TimeSpan AssignmentTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// <see cref="VerificationMode.Full"/> (default) replicates every job k times. <see cref="VerificationMode.Adaptive"/>
    /// runs a job on a trusted node alone, except for a sampled fraction; untrusted nodes are always replicated.
    /// </summary>
    public VerificationMode Verification { get; set; } = VerificationMode.Full;

    /// <summary>
    /// When a job's outputs reach no majority, dispatch this many more nodes and judge again (once). Default 0: the job
    /// stays unverified and nobody is rewarded or slashed.
    /// </summary>
    public int EscalationNodes { get; set; }

    /// <summary>In adaptive mode, the share of trusted nodes' jobs that are still replicated and verified. Default 0.05.</summary>
    public double AdaptiveSampleRate { get; set; } = 0.05;
}

public enum VerificationMode
{
    Full,
    Adaptive,
}
