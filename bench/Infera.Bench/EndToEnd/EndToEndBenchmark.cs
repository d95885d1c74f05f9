using System.Diagnostics;
using Infera.Bench.Backend;
using Infera.Bench.Hosting;

namespace Infera.Bench.EndToEnd;

/// <summary>
/// Part 1: the same streaming workload four ways: (A) straight to the simulated backend, (B) through nginx,
/// (C) through the network with k = 1, (D) with k = 3 and verification; at each concurrency level.
/// </summary>
internal sealed class EndToEndBenchmark(EndToEndSettings settings, string workDirectory)
{
    private readonly List<PhaseResult> _phases = [];
    private readonly List<ModeInfo> _modes = [];
    private readonly List<string> _notes = [];

    public async Task<EndToEndResults> RunAsync(CancellationToken cancellationToken)
    {
        var backendOptions = settings.Backend;
        var backendPort = Loopback.FreePort();
        var backendUri = new Uri($"http://127.0.0.1:{backendPort}");
        using var backend = ChildProcess.StartDotnet("simulated backend", BenchPaths.BenchDll, backendOptions.ToArguments(backendPort), Path.Combine(workDirectory, "backend.log"));
        using (var http = new HttpClient())
        {
            await Loopback.WaitUntilAsync(
                "the simulated backend", async ct => (await http.GetAsync(new Uri(backendUri, "/v1/models"), ct)).IsSuccessStatusCode, backend, TimeSpan.FromSeconds(30), cancellationToken);
        }

        await RunModeAsync("A", "client → backend", backend, _ => Task.FromResult(new ServingPath("A", "client → backend", backendUri, null)), cancellationToken);
        if (!settings.Runs("B"))
        {
            _modes.Add(new ModeInfo("B", "client → nginx → backend", "skipped: not asked for (--modes)"));
        }
        else if (NginxProxy.Unavailable() is { } why)
        {
            Console.WriteLine($"[B] skipped: {why}");
            _modes.Add(new ModeInfo("B", "client → nginx → backend", $"skipped: {why}"));
        }
        else
        {
            _notes.Add($"nginx: {NginxProxy.Version()}, worker_processes auto, proxy_buffering off, HTTP/1.1 keep-alive upstream");
            await RunModeAsync("B", "client → nginx (SSE config) → backend", backend, ct => NginxProxy.StartAsync(backendUri, workDirectory, ct), cancellationToken);
        }

        if (settings.Runs("C"))
        {
            await RunModeAsync("C", "client → gateway → silo → node agent → backend, k = 1", backend,
                ct => InferaNetwork.StartAsync("C", 1, backendUri, backendOptions.Model, workDirectory, ct), cancellationToken);
        }

        if (settings.Runs("D"))
        {
            await RunModeAsync("D", "client → gateway → silo → 3 node agents → backend, k = 3, verified", backend,
                ct => InferaNetwork.StartAsync("D", 3, backendUri, backendOptions.Model, workDirectory, ct), cancellationToken);
        }

        return new EndToEndResults
        {
            BackendTtftMs = backendOptions.TimeToFirstToken.TotalMilliseconds,
            BackendTokensPerSecond = backendOptions.TokensPerSecond,
            TokensPerStream = backendOptions.TokensPerCompletion,
            Agents = InferaNetwork.AgentCount,
            Quick = settings.Quick,
            Modes = _modes,
            Phases = _phases,
            Notes = _notes,
        };
    }

    private async Task RunModeAsync(string mode, string description, ChildProcess backend, Func<CancellationToken, Task<ServingPath>> start, CancellationToken cancellationToken)
    {
        ServingPath path;
        try
        {
            path = await start(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
        {
            Console.WriteLine($"[{mode}] skipped: {ex.Message}");
            _modes.Add(new ModeInfo(mode, description, $"skipped: could not start: {ex.Message}"));
            return;
        }

        _modes.Add(new ModeInfo(mode, description, null));
        _notes.AddRange(path.Notes.Select(n => $"{mode}: {n}"));
        using (path)
        {
            var options = settings.Backend;
            using var client = new LoadClient(path.BaseAddress, path.ApiKey, options.Model, options.TokensPerCompletion);
            // Two rounds with a pause between: the JIT starts counting calls for tier-1 only once no new method has
            // been compiled for a while, so the first round loads every path and the second gets them promoted.
            // Without the second, the first measured level pays for tier-1 compilation (measured: 25-35 ms per job).
            for (var round = 0; round < 2; round++)
            {
                await client.RunAsync(64, settings.WarmupStreams, options.StreamDuration, 900_000, cancellationToken);
                await QuiesceAsync(path, backend, cancellationToken);
            }

            if (path.Host is not null)
            {
                // What the network's processes burn with no work, so per-job figures can be read against it.
                var idleStart = path.ReadCpu(backend);
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                var idleEnd = path.ReadCpu(backend);
                _notes.Add(FormattableString.Invariant(
                    $"{mode}: idle after warm-up, gateway + silo {(idleEnd.Host - idleStart.Host)!.Value.TotalMilliseconds / 3:F1} ms CPU/s, agents {(idleEnd.Agents - idleStart.Agents)!.Value.TotalMilliseconds / 3:F1} ms CPU/s"));
            }

            foreach (var level in settings.Levels)
            {
                var stagger = level == 1 ? TimeSpan.Zero : options.StreamDuration;
                await client.RunAsync(level, Math.Max(level, 8), stagger, 800_000, cancellationToken);
                await QuiesceAsync(path, backend, cancellationToken);

                var before = path.ReadCpu(backend);
                var clock = Stopwatch.StartNew();
                var samples = await client.RunAsync(level, settings.StreamsAt(level), stagger, level * 10_000, cancellationToken);
                var wall = clock.Elapsed;
                await QuiesceAsync(path, backend, cancellationToken);
                var after = path.ReadCpu(backend);

                var jobs = samples.Count;
                var phase = PhaseResult.From(mode, level, samples, wall) with
                {
                    HostCpuUsPerJob = CpuReading.PerJob(before, after, r => r.Host, jobs),
                    AgentsCpuUsPerJob = CpuReading.PerJob(before, after, r => r.Agents, jobs),
                    NginxCpuUsPerJob = CpuReading.PerJob(before, after, r => r.Nginx, jobs),
                    BackendCpuUsPerJob = CpuReading.PerJob(before, after, r => r.Backend, jobs),
                };
                _phases.Add(phase);
                Console.WriteLine(Describe(phase));
                if (mode == "D" && samples.LastOrDefault(s => s.Ok)?.JobId is { } jobId)
                {
                    var job = await InferaNetwork.DescribeJobAsync(path, jobId, cancellationToken);
                    _notes.Add($"D at {level}, the last stream's {job}");
                }
            }
        }
    }

    /// <summary>Waits until the measured processes are idle (a job settles after its client's stream has ended).</summary>
    private static async Task QuiesceAsync(ServingPath path, ChildProcess backend, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var last = path.ReadCpu(backend);
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(300, cancellationToken);
            var now = path.ReadCpu(backend);
            var busy = now.Total + now.Backend - last.Total - last.Backend;
            if (busy < TimeSpan.FromMilliseconds(15))
            {
                return;
            }

            last = now;
        }
    }

    private static string Describe(PhaseResult p) => FormattableString.Invariant(
        $"[{p.Mode}] c={p.Concurrency,-3}: {p.Streams} streams ({p.Failed} failed) in {p.WallSeconds:F1} s | TTFT p50 {p.TtftP50Ms:F2} p99 {p.TtftP99Ms:F2} ms | ITL p50 {p.ItlP50Ms:F2} p99 {p.ItlP99Ms:F2} ms | {p.StreamsPerSecond:F1} streams/s")
        + (p.HostCpuUsPerJob is { } h ? FormattableString.Invariant($" | host {h:F0} µs/job") : string.Empty)
        + (p.AgentsCpuUsPerJob is { } a ? FormattableString.Invariant($", agents {a:F0} µs/job") : string.Empty)
        + (p.NginxCpuUsPerJob is { } n ? FormattableString.Invariant($" | nginx {n:F0} µs/stream") : string.Empty)
        + (p.FirstError is { } e ? $" | first error: {e}" : string.Empty);
}
