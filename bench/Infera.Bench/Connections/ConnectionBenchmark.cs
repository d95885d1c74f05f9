using System.Diagnostics;
using Infera.Bench.Hosting;
using Infera.Identity;

namespace Infera.Bench.Connections;

/// <summary>
/// Part 3: thousands of agents connected to one silo. Light agents do the real signed handshake and heartbeat every
/// 5 s; the embedded host's resident memory is read before and after, and its CPU over a window of heartbeats.
/// </summary>
internal sealed class ConnectionBenchmark(IReadOnlyList<int> levels, string workDirectory, bool quick)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly List<LightAgent> _agents = [];
    private long _heartbeats;

    public async Task<ConnectionResults> RunAsync(CancellationToken cancellationToken)
    {
        var data = Directory.CreateDirectory(Path.Combine(workDirectory, "connections")).FullName;
        var port = Loopback.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var environment = ChildProcess.ExtraEnvironment("INFERA_BENCH_HOST_ENV");
        using var host = ChildProcess.StartDotnet(
            "embedded host",
            BenchPaths.EmbeddedDll,
            ["--agents", "0", "--urls", $"http://127.0.0.1:{port}", "--data", data, $"--Infera:Silo:HeartbeatInterval={Interval:c}", "--Logging:LogLevel:Default=Warning"],
            Path.Combine(data, "host.log"),
            environment);
        using (var http = new HttpClient { BaseAddress = baseAddress })
        {
            await Loopback.WaitUntilAsync("the embedded host's /healthz", async ct => (await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct)).IsSuccessStatusCode, host, TimeSpan.FromSeconds(60), cancellationToken);
        }

        using var heartbeats = new CancellationTokenSource();
        var beating = HeartbeatLoopAsync(heartbeats.Token);
        try
        {
            // One agent first, so the code paths of a link are loaded before the baseline is taken.
            await ConnectUpToAsync(new Uri($"ws://127.0.0.1:{port}/v1/node-link"), 1, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var baseline = host.ResidentBytes();
            var window = Interval * 2;
            var idle = await MeasureWindowAsync(host, window, cancellationToken);
            Console.WriteLine($"[connections] baseline RSS {baseline / 1048576.0:F1} MiB, idle CPU {idle.Cpu.TotalMilliseconds:F0} ms per {window.TotalSeconds:F0} s");

            var results = new List<ConnectionResult>();
            foreach (var level in levels)
            {
                var clock = Stopwatch.StartNew();
                var shortfall = await ConnectUpToAsync(new Uri($"ws://127.0.0.1:{port}/v1/node-link"), level + 1, cancellationToken);
                var connectSeconds = clock.Elapsed.TotalSeconds;
                await Task.Delay(Interval + TimeSpan.FromSeconds(2), cancellationToken); // every link has heartbeated once
                var rss = host.ResidentBytes();
                var measured = await MeasureWindowAsync(host, window, cancellationToken);
                var result = new ConnectionResult
                {
                    Target = level,
                    Connected = _agents.Count(a => a.IsOpen) - 1, // the warm-up agent is part of the baseline
                    ShortfallReason = shortfall,
                    ConnectSeconds = connectSeconds,
                    BaselineRssBytes = baseline,
                    RssBytes = rss,
                    HeartbeatIntervalSeconds = Interval.TotalSeconds,
                    WindowSeconds = window.TotalSeconds,
                    Heartbeats = measured.Heartbeats,
                    HostCpuMsInWindow = measured.Cpu.TotalMilliseconds,
                    IdleCpuMsPerWindow = idle.Cpu.TotalMilliseconds,
                };
                results.Add(result);
                Console.WriteLine(
                    $"[connections] {result.Connected} links (target {level}) in {connectSeconds:F1} s: RSS {rss / 1048576.0:F1} MiB, "
                    + $"{result.BytesPerConnection / 1024:F1} KiB per link; {result.Heartbeats} heartbeats in {window.TotalSeconds:F0} s, "
                    + $"host CPU {result.HostCpuMsInWindow:F0} ms, {result.CpuUsPerHeartbeat:F1} µs per heartbeat"
                    + (shortfall is null ? string.Empty : $"; stopped short: {shortfall}"));
                if (shortfall is not null)
                {
                    break;
                }
            }

            return new ConnectionResults(results, HostGc.Describe(BenchPaths.EmbeddedDll, environment), quick);
        }
        finally
        {
            await heartbeats.CancelAsync();
            await beating;
            foreach (var agent in _agents)
            {
                agent.Dispose();
            }
        }
    }

    /// <summary>Connects agents until <paramref name="total"/> are open; the reason when it could not.</summary>
    private async Task<string?> ConnectUpToAsync(Uri nodeLink, int total, CancellationToken cancellationToken)
    {
        var wanted = total - _agents.Count;
        var created = new LightAgent[Math.Max(0, wanted)];
        string? failure = null;
        // A few handshakes at a time: the silo checks a signature and writes the node to SQLite for each.
        await Parallel.ForAsync(0, created.Length, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            if (Volatile.Read(ref failure) is not null)
            {
                return;
            }

            var agent = new LightAgent(NodeIdentity.Create());
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                await agent.ConnectAsync(nodeLink, timeout.Token);
                created[i] = agent;
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidOperationException or InvalidDataException or IOException or System.Net.Sockets.SocketException)
            {
                agent.Dispose();
                Interlocked.CompareExchange(ref failure, $"{ex.GetType().Name}: {ex.Message}", null);
            }
        });

        lock (_agents)
        {
            _agents.AddRange(created.Where(a => a is not null));
        }

        return failure;
    }

    private async Task<(TimeSpan Cpu, long Heartbeats)> MeasureWindowAsync(ChildProcess host, TimeSpan window, CancellationToken cancellationToken)
    {
        var cpu = host.CpuTime();
        var beats = Interlocked.Read(ref _heartbeats);
        await Task.Delay(window, cancellationToken);
        return (host.CpuTime() - cpu, Interlocked.Read(ref _heartbeats) - beats);
    }

    /// <summary>Every agent heartbeats once per interval, spread evenly over it, as a fleet with random start times does.</summary>
    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        var tick = TimeSpan.FromMilliseconds(50);
        var slots = (int)(Interval / tick);
        using var timer = new PeriodicTimer(tick);
        var slot = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                LightAgent[] agents;
                lock (_agents)
                {
                    agents = [.. _agents];
                }

                for (var i = slot; i < agents.Length; i += slots)
                {
                    if (agents[i].IsOpen && await agents[i].HeartbeatAsync(cancellationToken))
                    {
                        Interlocked.Increment(ref _heartbeats);
                    }
                }

                slot = (slot + 1) % slots;
            }
        }
        catch (OperationCanceledException)
        {
            // done
        }
    }
}
