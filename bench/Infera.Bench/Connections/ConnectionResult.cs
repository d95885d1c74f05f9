namespace Infera.Bench.Connections;

/// <summary>One connection level: memory per link and the silo's CPU per heartbeat, as written to connections.json.</summary>
internal sealed record ConnectionResult
{
    public required int Target { get; init; }

    public required int Connected { get; init; }

    public string? ShortfallReason { get; init; }

    public required double ConnectSeconds { get; init; }

    public required long BaselineRssBytes { get; init; }

    public required long RssBytes { get; init; }

    public double BytesPerConnection => Connected == 0 ? double.NaN : (RssBytes - BaselineRssBytes) / (double)Connected;

    public required double HeartbeatIntervalSeconds { get; init; }

    public required double WindowSeconds { get; init; }

    public required long Heartbeats { get; init; }

    public required double HostCpuMsInWindow { get; init; }

    /// <summary>The host's CPU over an equal window with no agents, subtracted before dividing.</summary>
    public required double IdleCpuMsPerWindow { get; init; }

    public double CpuUsPerHeartbeat => Heartbeats == 0 ? double.NaN : Math.Max(0, HostCpuMsInWindow - IdleCpuMsPerWindow) * 1000 / Heartbeats;

    /// <summary>Share of one core the silo spends on this many agents at the interval measured.</summary>
    public double CorePercent => (HostCpuMsInWindow - IdleCpuMsPerWindow) / (WindowSeconds * 1000) * 100;
}

internal sealed record ConnectionResults(List<ConnectionResult> Levels, string GcMode, bool Quick);
