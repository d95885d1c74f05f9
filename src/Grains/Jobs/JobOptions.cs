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
}
