using System.Diagnostics;

namespace Infera.Bench.EndToEnd;

/// <summary>The figures of one way of serving (A, B, C or D) at one concurrency. Times in milliseconds.</summary>
internal sealed record PhaseResult
{
    public required string Mode { get; init; }

    public required int Concurrency { get; init; }

    public required int Streams { get; init; }

    public required int Failed { get; init; }

    public string? FirstError { get; init; }

    public double TtftP50Ms { get; init; }

    public double TtftP99Ms { get; init; }

    public double ItlP50Ms { get; init; }

    public double ItlP99Ms { get; init; }

    /// <summary>Steady-state rate: the sum over workers of streams each completed per second it was busy.</summary>
    public double StreamsPerSecond { get; init; }

    public double WallSeconds { get; init; }

    /// <summary>CPU of the gateway and silo process (the embedded host), per job; null where it is not in the path.</summary>
    public double? HostCpuUsPerJob { get; init; }

    /// <summary>CPU of all node agent processes together, per job.</summary>
    public double? AgentsCpuUsPerJob { get; init; }

    /// <summary>CPU of nginx (master and workers), per stream, for mode B.</summary>
    public double? NginxCpuUsPerJob { get; init; }

    /// <summary>CPU of the simulated backend, per client stream (k backend streams each in mode D).</summary>
    public double? BackendCpuUsPerJob { get; init; }

    public static PhaseResult From(string mode, int concurrency, List<StreamSample> samples, TimeSpan wall)
    {
        var ok = samples.Where(s => s.Ok).ToList();
        var ttft = ok.Select(s => Ms(s.FirstTokenTicks!.Value)).ToArray();
        var gaps = ok.SelectMany(s => s.GapTicks).Select(Ms).ToArray();
        return new PhaseResult
        {
            Mode = mode,
            Concurrency = concurrency,
            Streams = samples.Count,
            Failed = samples.Count - ok.Count,
            FirstError = samples.FirstOrDefault(s => !s.Ok)?.Error,
            TtftP50Ms = Percentile(ttft, 0.50),
            TtftP99Ms = Percentile(ttft, 0.99),
            ItlP50Ms = Percentile(gaps, 0.50),
            ItlP99Ms = Percentile(gaps, 0.99),
            StreamsPerSecond = SteadyRate(ok),
            WallSeconds = wall.TotalSeconds,
        };
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(values);
        var rank = (int)Math.Ceiling(p * values.Length);
        return values[Math.Clamp(rank - 1, 0, values.Length - 1)];
    }

    private static double SteadyRate(List<StreamSample> ok)
    {
        var rate = 0.0;
        foreach (var worker in ok.GroupBy(s => s.Worker))
        {
            var busy = Stopwatch.GetElapsedTime(worker.Min(s => s.StartedAt), worker.Max(s => s.EndedAt));
            rate += worker.Count() / busy.TotalSeconds;
        }

        return rate;
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
