using Infera.Jobs;

namespace Infera.Gateway.Cluster;

/// <summary>What a cluster gateway knows of the silo tier between refreshes: the models live nodes serve, and whether any silo takes jobs.</summary>
public sealed class ClusterModels
{
    public IReadOnlyList<ModelListing> Current { get; set; } = [];

    /// <summary>False when the broker says no silo reads the work queue; a job sent now would only wait.</summary>
    public bool SilosTakeJobs { get; set; } = true;
}
