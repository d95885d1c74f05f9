using Infera.Bench.Hosting;

namespace Infera.Bench.EndToEnd;

/// <summary>
/// One way of reaching the backend: directly (A), through nginx (B), or through the network with k = 1 (C) or
/// k = 3 (D). It owns the processes in its path, so their CPU can be read apart from the client's and the backend's.
/// </summary>
internal sealed class ServingPath(string mode, string description, Uri baseAddress, string? apiKey) : IDisposable
{
    public string Mode { get; } = mode;

    public string Description { get; } = description;

    public Uri BaseAddress { get; } = baseAddress;

    public string? ApiKey { get; } = apiKey;

    public ChildProcess? Host { get; init; }

    public IReadOnlyList<ChildProcess> Agents { get; init; } = [];

    public ChildProcess? Nginx { get; init; }

    /// <summary>What the report should say about how this path was set up.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Extra things to clean up when the path is torn down (temporary folders).</summary>
    public IReadOnlyList<string> TemporaryDirectories { get; init; } = [];

    public CpuReading ReadCpu(ChildProcess backend) => new(
        Host?.CpuTime(),
        Agents.Count == 0 ? null : Agents.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.CpuTime()),
        Nginx?.CpuTime(includeChildren: true),
        backend.CpuTime());

    public void Dispose()
    {
        foreach (var agent in Agents)
        {
            agent.Dispose();
        }

        Host?.Dispose();
        Nginx?.Dispose();
        foreach (var dir in TemporaryDirectories)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // left for the OS to clean
            }
        }
    }
}

/// <summary>CPU time used so far by each group of processes in a path.</summary>
internal sealed record CpuReading(TimeSpan? Host, TimeSpan? Agents, TimeSpan? Nginx, TimeSpan Backend)
{
    public TimeSpan Total => (Host ?? TimeSpan.Zero) + (Agents ?? TimeSpan.Zero) + (Nginx ?? TimeSpan.Zero);

    /// <summary>Microseconds per job of <paramref name="pick"/>'s group between two readings.</summary>
    public static double? PerJob(CpuReading before, CpuReading after, Func<CpuReading, TimeSpan?> pick, int jobs) =>
        pick(after) is { } end && pick(before) is { } start && jobs > 0 ? (end - start).TotalMicroseconds / jobs : null;
}
