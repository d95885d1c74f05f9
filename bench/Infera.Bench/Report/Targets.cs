using System.Globalization;
using Infera.Bench.Connections;
using Infera.Bench.EndToEnd;
using Infera.Bench.Micro;

namespace Infera.Bench.Report;

/// <summary>The targets, each checked against the figures of a run: reported, never asserted.</summary>
internal static class Targets
{
    /// <summary>"20 KB" read strictly: 20,000 bytes.</summary>
    private const double MaxBytesPerLink = 20_000;

    public static List<TargetCheck> Evaluate(EndToEndResults? e2e, List<MicroResult>? micro, ConnectionResults? connections)
    {
        var checks = new List<TargetCheck>();
        PhaseResult? Phase(string mode, int c) => e2e?.Phases.FirstOrDefault(p => p.Mode == mode && p.Concurrency == c && p.Failed < p.Streams);
        var a = Phase("A", 64);
        var b = Phase("B", 64);
        var c = Phase("C", 64);
        var d = Phase("D", 64);

        checks.Add(Overhead("Network TTFT overhead (C − A) p50 at 64 streams ≤ 1 ms", a, c, p => p.TtftP50Ms, 1));
        checks.Add(Overhead("Network TTFT overhead (C − A) p99 at 64 streams ≤ 5 ms", a, c, p => p.TtftP99Ms, 5));
        checks.Add(VersusNginx("Network TTFT overhead p50 at 64 ≤ 2 × nginx's (B − A)", a, b, c, p => p.TtftP50Ms));
        checks.Add(VersusNginx("Network TTFT overhead p99 at 64 ≤ 2 × nginx's (B − A)", a, b, c, p => p.TtftP99Ms));
        checks.Add(Overhead("Inter-token overhead (C − A) p99 at 64 streams ≤ 2 ms", a, c, p => p.ItlP99Ms, 2));
        checks.Add(Overhead("Inter-token overhead with k = 3 (D − A) p99 at 64 streams ≤ 2 ms", a, d, p => p.ItlP99Ms, 2));
        checks.Add(d?.HostCpuUsPerJob is { } cpu
            ? Check("CPU per k = 3 verified job, gateway + silo (D at 64) ≤ 250 µs", cpu <= 250, $"{cpu:F0} µs" + CpuAtOtherLevels(e2e!))
            : Missing("CPU per k = 3 verified job, gateway + silo (D at 64) ≤ 250 µs", "mode D did not run"));

        var job = micro?.FirstOrDefault(m => m.Suite == "Scheduler" && m.Benchmark.StartsWith("Candidates", StringComparison.Ordinal) && m.Parameters.Contains("100000", StringComparison.Ordinal));
        var all = micro?.FirstOrDefault(m => m.Suite == "Scheduler" && m.Benchmark.StartsWith("Rank over", StringComparison.Ordinal) && m.Parameters.Contains("100000", StringComparison.Ordinal));
        checks.Add(job?.MeanNs is { } ns
            ? Check("Choosing 3 of 100k nodes ≤ 20 µs", ns <= 20_000, $"{Format.Duration(ns)} (a job's path: Candidates(32) + Rank)" + (all?.MeanNs is { } s ? $"; ranking the whole pool: {Format.Duration(s)}" : string.Empty))
            : Missing("Choosing 3 of 100k nodes ≤ 20 µs", "the scheduler micro-benchmark did not run"));

        var links = connections?.Levels.FirstOrDefault(l => l.Target == 10_000);
        var most = connections?.Levels.MaxBy(l => l.Connected);
        checks.Add(links is not null
            ? Check(
                "≥ 10,000 node connections per silo at ≤ 20 KB (20,000 bytes) each",
                links.Connected >= 10_000 && links.BytesPerConnection <= MaxBytesPerLink,
                $"{links.Connected:N0} connected, {links.BytesPerConnection:N0} bytes each" + (links.ShortfallReason is { } why ? $" (stopped short: {why})" : string.Empty))
            : Missing("≥ 10,000 node connections per silo at ≤ 20 KB (20,000 bytes) each", most is null ? "the connection part did not run" : $"only the {most.Target:N0} level ran: {most.Connected:N0} connected, {most.BytesPerConnection:N0} bytes each"));
        return checks;
    }

    private static TargetCheck Overhead(string name, PhaseResult? a, PhaseResult? x, Func<PhaseResult, double> metric, double limitMs)
    {
        if (a is null || x is null)
        {
            return Missing(name, "a way it needs did not run");
        }

        var overhead = metric(x) - metric(a);
        return Check(name, overhead <= limitMs, $"{overhead:F2} ms ({metric(x):F2} vs {metric(a):F2})");
    }

    private static TargetCheck VersusNginx(string name, PhaseResult? a, PhaseResult? b, PhaseResult? c, Func<PhaseResult, double> metric)
    {
        if (a is null || b is null || c is null)
        {
            return Missing(name, b is null ? "nginx (B) did not run" : "a way it needs did not run");
        }

        var network = metric(c) - metric(a);
        var nginx = metric(b) - metric(a);
        // A proxy cannot have negative overhead; below zero is noise, and the bound is taken from zero.
        var bound = 2 * Math.Max(nginx, 0);
        var noise = nginx < 0 ? "; nginx's figure below zero is noise, so the bound is 0" : string.Empty;
        return Check(name, network <= bound, $"network {network:F2} ms vs nginx {nginx:F2} ms (bound {bound:F2} ms{noise})");
    }

    private static string CpuAtOtherLevels(EndToEndResults e2e)
    {
        var others = e2e.Phases.Where(p => p.Mode == "D" && p.Concurrency != 64 && p.HostCpuUsPerJob is not null)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.HostCpuUsPerJob:F0} µs at {p.Concurrency}"));
        var text = string.Join(", ", others);
        return text.Length == 0 ? string.Empty : $" ({text})";
    }

    private static TargetCheck Check(string name, bool met, string figure) => new(name, figure, met ? "met" : "**missed**");

    private static TargetCheck Missing(string name, string why) => new(name, why, "not measured");
}

internal sealed record TargetCheck(string Target, string Figure, string Verdict);
