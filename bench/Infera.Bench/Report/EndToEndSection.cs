using System.Globalization;
using System.Text;
using Infera.Bench.EndToEnd;

namespace Infera.Bench.Report;

/// <summary>Part 1 of the report: the raw figures per way and level, the ratios and the overheads.</summary>
internal static class EndToEndSection
{
    public static void Write(StringBuilder md, EndToEndResults? e2e, string? error)
    {
        md.AppendLine().AppendLine("## 1. End to end").AppendLine();
        if (e2e is null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Not run{(error is null ? "." : $": {error}")}");
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture,
            $"A simulated OpenAI-compatible backend in its own process answers every stream with a {e2e.BackendTtftMs:F0} ms time to first token, then {e2e.BackendTokensPerSecond:F0} tokens/s, {e2e.TokensPerStream} tokens per completion (role chunk, one chunk per token, finish, usage, `[DONE]`). The client (its own process too) streams the same requests four ways, with as many streams in flight as the level says (a closed loop, workers started spread over one stream's length), after a warm-up at that level. Time to first token (TTFT) runs from sending the request to the first content delta; inter-token latency (ITL) is the gap between consecutive content deltas. Streams per second is the steady rate (each worker's completed streams over its busy time, summed). CPU is user + system time from /proc of the processes named, over the measured streams and until they are idle again (a k = 3 job settles after its client's stream ends), divided by the streams.");
        md.AppendLine();
        md.AppendLine("| way | path | |").AppendLine("| --- | --- | --- |");
        foreach (var mode in e2e.Modes)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {mode.Mode} | {mode.Description} | {mode.Skipped ?? "ran"} |");
        }

        md.AppendLine().AppendLine(CultureInfo.InvariantCulture,
            $"The network runs as deployed: the embedded host (gateway and silo in one process, SQLite store) and {e2e.Agents} `infera-node` processes on the `openai` backend adapter, `--max-concurrency 600` each, so capacity is never the limit. C uses `Infera:Jobs:Redundancy=1`, D `=3` (every job on all three agents, verified after the stream).");

        md.AppendLine().AppendLine("### Raw numbers (milliseconds unless named)").AppendLine();
        md.AppendLine("| way | streams at once | streams | failed | TTFT p50 | TTFT p99 | ITL p50 | ITL p99 | streams/s | gateway + silo CPU µs/job | agents CPU µs/job | nginx CPU µs/stream | backend CPU µs/stream |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var p in e2e.Phases.OrderBy(p => p.Concurrency).ThenBy(p => p.Mode, StringComparer.Ordinal))
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {p.Mode} | {p.Concurrency} | {p.Streams} | {p.Failed} | {Format.Ms(p.TtftP50Ms)} | {Format.Ms(p.TtftP99Ms)} | {Format.Ms(p.ItlP50Ms)} | {Format.Ms(p.ItlP99Ms)} | {Format.Number(p.StreamsPerSecond)} | {Format.Us(p.HostCpuUsPerJob)} | {Format.Us(p.AgentsCpuUsPerJob)} | {Format.Us(p.NginxCpuUsPerJob)} | {Format.Us(p.BackendCpuUsPerJob)} |");
        }

        foreach (var p in e2e.Phases.Where(p => p.FirstError is not null))
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{p.Mode} at {p.Concurrency}: {p.Failed} stream(s) failed; the first: `{p.FirstError}`");
        }

        md.AppendLine().AppendLine("An ITL p50 of 0 means most deltas arrived in the same read as the one before: under load a proxy or the gateway writes several queued deltas at once. At one stream at a time every token wakes sleeping threads in each process (and the .NET thread pool spins before it sleeps again), so CPU per job at that level measures wake-ups more than work; read CPU at 64 and 512. Idle CPU is read in 10 ms ticks.");
        Ratios(md, e2e);
        Overheads(md, e2e);
        if (e2e.Notes.Count > 0)
        {
            md.AppendLine().AppendLine("Notes:").AppendLine();
            foreach (var note in e2e.Notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }
    }

    private static void Ratios(StringBuilder md, EndToEndResults e2e)
    {
        md.AppendLine().AppendLine("### Ratios").AppendLine();
        md.AppendLine("For latencies, above 1 is slower than the reference; for streams/s, below 1 is fewer.").AppendLine();
        md.AppendLine("| streams at once | metric | C/A | C/B | D/A |").AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var level in e2e.Phases.Select(p => p.Concurrency).Distinct().Order())
        {
            var a = Find(e2e, "A", level);
            var b = Find(e2e, "B", level);
            var c = Find(e2e, "C", level);
            var d = Find(e2e, "D", level);
            foreach (var (name, metric) in Metrics)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {level} | {name} | {Ratio(c, a, metric)} | {Ratio(c, b, metric)} | {Ratio(d, a, metric)} |");
            }
        }
    }

    private static void Overheads(StringBuilder md, EndToEndResults e2e)
    {
        md.AppendLine().AppendLine("### Overheads over the direct path (milliseconds)").AppendLine();
        md.AppendLine("| streams at once | metric | nginx (B − A) | network k = 1 (C − A) | network k = 3 (D − A) |").AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var level in e2e.Phases.Select(p => p.Concurrency).Distinct().Order())
        {
            var a = Find(e2e, "A", level);
            foreach (var (name, metric) in Metrics.Take(4))
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {level} | {name} | {Diff(Find(e2e, "B", level), a, metric)} | {Diff(Find(e2e, "C", level), a, metric)} | {Diff(Find(e2e, "D", level), a, metric)} |");
            }
        }
    }

    private static readonly (string Name, Func<PhaseResult, double> Metric)[] Metrics =
    [
        ("TTFT p50", p => p.TtftP50Ms),
        ("TTFT p99", p => p.TtftP99Ms),
        ("ITL p50", p => p.ItlP50Ms),
        ("ITL p99", p => p.ItlP99Ms),
        ("streams/s", p => p.StreamsPerSecond),
    ];

    private static PhaseResult? Find(EndToEndResults e2e, string mode, int level) =>
        e2e.Phases.FirstOrDefault(p => p.Mode == mode && p.Concurrency == level);

    private static string Ratio(PhaseResult? x, PhaseResult? reference, Func<PhaseResult, double> metric) =>
        x is null || reference is null ? "–" : Format.Ratio(metric(x), metric(reference));

    private static string Diff(PhaseResult? x, PhaseResult? reference, Func<PhaseResult, double> metric) =>
        x is null || reference is null ? "–" : (metric(x) - metric(reference)).ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);
}
