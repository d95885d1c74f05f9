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
    /// When a job's outputs reach no majority, dispatch this many more nodes and judge again (once). Default 2; 0: the job
    /// stays unverified and nobody is rewarded or slashed.
    /// </summary>
    public int EscalationNodes { get; set; } = 2;

    /// <summary>
    /// How long an agent may hold a replica's text before sending it (after its first token, which goes at once).
    /// Nobody reads a replica live, so its tokens travel in a few frames instead of one each; a replica that takes over
    /// the client's stream is promoted and sends at once. Default 250 ms; zero: every token at once.
    /// </summary>
    public TimeSpan ReplicaFlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>In adaptive mode, the share of trusted nodes' jobs that are still replicated and verified. Default 0.05.</summary>
    public double AdaptiveSampleRate { get; set; } = 0.05;
}

public enum VerificationMode
{
    Full,
    Adaptive,
}
