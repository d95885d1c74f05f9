using System.Globalization;
using System.Text;
using Infera.Bench.Connections;
using Infera.Bench.EndToEnd;
using Infera.Bench.Micro;

namespace Infera.Bench.Report;

/// <summary>docs/BENCHMARKS.md: the command, the machine, the date, the raw numbers, the ratios and the targets.</summary>
internal static class MarkdownReport
{
    public const string Command = "bench/run.sh";

    public static string Build(ResultsStore results)
    {
        var machine = results.Read<MachineInfo>("machine") ?? MachineInfo.Collect();
        var e2e = results.Read<EndToEndResults>("e2e");
        var micro = results.Read<List<MicroResult>>("micro");
        var connections = results.Read<ConnectionResults>("connections");
        var quick = e2e?.Quick == true || connections?.Quick == true;

        var md = new StringBuilder();
        md.AppendLine("# Benchmarks").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Written by `{Command}`, the one command that builds in Release, installs nginx if it is missing, runs the three parts below and writes this page. Targets are reported here, never asserted in tests.");
        if (quick)
        {
            md.AppendLine().AppendLine("> **Reduced run** (`BENCH_QUICK=1`): a fraction of the streams and links, for checking the harness. These figures are not the benchmark's.");
        }

        md.AppendLine();
        md.AppendLine("| | |").AppendLine("| --- | --- |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| command | `{Command}`{(quick ? " (with `BENCH_QUICK=1`)" : string.Empty)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| date | {machine.StartedAt:yyyy-MM-dd HH:mm} UTC |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| CPU (lscpu) | {machine.CpuModel}; {machine.Cpus} CPU(s) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| memory | {machine.Memory} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| OS | {machine.Os} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| .NET | {machine.Runtime}, SDK {machine.Sdk} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| load average when the run started | {machine.LoadAverage} |");
        md.AppendLine();
        md.AppendLine("Every process of the benchmark (client, backend, nginx, gateway and silo, agents) shares this machine's CPUs; where load average was above zero, other work shared them too, and tails (p99) suffer first.");

        md.AppendLine().AppendLine("## Targets").AppendLine();
        md.AppendLine("| target | figure | verdict |").AppendLine("| --- | --- | --- |");
        foreach (var check in Targets.Evaluate(e2e, micro, connections))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {check.Target} | {check.Figure} | {check.Verdict} |");
        }

        EndToEndSection.Write(md, e2e, results.ReadError("e2e"));
        MicroSection(md, micro, results.ReadError("micro"));
        ConnectionsSection(md, connections, results.ReadError("connections"));
        return md.ToString();
    }

    private static void MicroSection(StringBuilder md, List<MicroResult>? micro, string? error)
    {
        md.AppendLine().AppendLine("## 2. Micro-benchmarks (BenchmarkDotNet)").AppendLine();
        if (micro is null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Not run{(error is null ? "." : $": {error}")}");
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"BenchmarkDotNet 0.14.0, `ShortRun` job (3 warm-ups, 3 iterations of 250 ms, no overhead stage) with the in-process toolchain, memory diagnoser; {micro.FirstOrDefault()?.Runtime}. The real types: `NodeRegistry.Candidates` and `NodeSelector.Rank` over `NodeGrain`s (random trust, capacity 1–8, some slots taken, distinct /24s); `VerifierGrain.VerifyAsync` with `LexicalEmbedder` and a job context (replay index included); `ChatCompletionWriter` into a `PipeWriter` over `Stream.Null`; `PersonalMessage.Verify`; `NodeLinkProtocol` frames; the SQLite job and trust stores writing one k = 3 job (3 outputs of 256 tokens) to a temp file, alone and 64 at once.");
        md.AppendLine();
        md.AppendLine("| suite | benchmark | parameters | mean | median | ± std. error | allocated per op |").AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var m in micro)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Suite} | {m.Benchmark} | {(m.Parameters.Length == 0 ? "–" : m.Parameters)} | {(m.MeanNs is { } mean ? Format.Duration(mean) : "failed")} | {(m.MedianNs is { } median ? Format.Duration(median) : "–")} | {(m.StdErrNs is { } se ? Format.Duration(se) : "–")} | {Format.Bytes(m.AllocatedBytes)} |");
        }
    }

    private static void ConnectionsSection(StringBuilder md, ConnectionResults? connections, string? error)
    {
        md.AppendLine().AppendLine("## 3. Connection scale").AppendLine();
        if (connections is null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Not run{(error is null ? "." : $": {error}")}");
            return;
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"One embedded host (`--agents 0`, {connections.GcMode}, `Infera:Silo:HeartbeatInterval=00:00:05`) and light agents in the benchmark process: each opens its own WebSocket, answers the silo's challenge with a real secp256k1 EIP-191 signature of its own key, and heartbeats every 5 s (spread evenly). Memory is the host's VmRSS after the links are up minus before (with one link open, so the code paths are loaded); CPU is the host's over a 10 s window minus an idle window, divided by the heartbeats sent in it. The window also holds the silo's liveness sweep and its WebSocket keep-alive pings (every 30 s per link).");
        md.AppendLine();
        md.AppendLine("| links wanted | connected | connect time | host RSS before | host RSS after | per link | heartbeats in window | host CPU in window (idle) | CPU per heartbeat | share of one core | at the default 15 s interval |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var l in connections.Levels)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {l.Target:N0} | {l.Connected:N0} | {l.ConnectSeconds:F1} s | {Format.MiB(l.BaselineRssBytes)} | {Format.MiB(l.RssBytes)} | {l.BytesPerConnection:N0} B ({l.BytesPerConnection / 1024:F1} KiB) | {l.Heartbeats:N0} | {l.HostCpuMsInWindow:F0} ms ({l.IdleCpuMsPerWindow:F0} ms) | {l.CpuUsPerHeartbeat:F1} µs | {l.CorePercent:F2} % | {l.CorePercent / 3:F2} % |");
        }

        foreach (var l in connections.Levels.Where(l => l.ShortfallReason is not null))
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"At {l.Target:N0}: stopped at {l.Connected:N0} links: {l.ShortfallReason}");
        }
    }
}
