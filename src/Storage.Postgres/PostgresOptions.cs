namespace Infera.Storage.Postgres;

/// <summary>The cluster store. Section <c>Infera:Postgres</c>.</summary>
public sealed class PostgresOptions
{
    public const string Section = "Infera:Postgres";

    /// <summary>
    /// An Npgsql connection string; required. Unless it sets <c>Timeout</c>, connecting gives up after 3 s, so a
    /// caller whose database is down can answer 503 at once.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// This process's name in the store: written as the owner of the jobs it saves, and its row in <c>silos</c>.
    /// Default: the host name and a random suffix.
    /// </summary>
    public string ProcessId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How long one command may run. Default 5 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A silo whose heartbeat is older than this is gone, and its running jobs are abandoned. Default 10 s.</summary>
    public TimeSpan SiloLease { get; set; } = TimeSpan.FromSeconds(10);
}
