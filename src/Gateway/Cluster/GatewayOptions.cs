namespace Infera.Gateway.Cluster;

/// <summary>A cluster gateway's settings. Section <c>Infera:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Infera:Gateway";

    /// <summary>This gateway's name; its queue is named after it. Default: the host name and a random suffix.</summary>
    public string GatewayId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A job with no event for this long ends with a timeout for its client. Default 120 s.</summary>
    public TimeSpan JobIdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How often the gateway refreshes the models live nodes serve, and whether any silo takes jobs. Default 2 s.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A silo whose lease is older than this is gone, and its nodes with it. Default 5 s (as the silos' own setting).</summary>
    public TimeSpan SiloLease { get; set; } = TimeSpan.FromSeconds(5);
}
