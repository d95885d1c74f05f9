namespace Infera.Silo.Cluster;

/// <summary>How a silo takes part in a cluster. Section <c>Infera:Cluster</c>.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Infera:Cluster";

    /// <summary>Jobs this silo runs at once: the work queue's prefetch, so a busy silo leaves jobs to others. Default 256.</summary>
    public ushort MaxJobs { get; set; } = 256;

    /// <summary>On SIGTERM, how long in-flight jobs may take to finish before the silo stops anyway. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the silo renews its lease and publishes its nodes, and reads everyone else's. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A silo whose lease is older than this is gone: its nodes leave the schedule. Default 5 s.</summary>
    public TimeSpan SiloLease { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the rescuer looks for running jobs whose silo is gone. Default 5 s.</summary>
    public TimeSpan RescueInterval { get; set; } = TimeSpan.FromSeconds(5);
}
