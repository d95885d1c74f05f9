using Infera.Bench.Connections;
using Infera.Bench.EndToEnd;
using Infera.Bench.Hosting;
using Infera.Bench.Micro;
using Infera.Bench.Report;

namespace Infera.Bench;

/// <summary>One invocation: which parts to run, where their raw results go, and where the report is written.</summary>
internal sealed class BenchRun(bool quick, string? resultsDirectory, string? reportPath)
{
    /// <summary>Only these ways in e2e (e.g. "CD"); A always runs.</summary>
    public string? Modes { get; init; }

    /// <summary>Only these concurrency levels in e2e.</summary>
    public IReadOnlyList<int>? Levels { get; init; }

    /// <summary>Streams per level in e2e instead of the defaults (longer phases, e.g. for a profiler).</summary>
    public int? Streams { get; init; }

    /// <summary>Only these suites in micro (e.g. "SqliteStore").</summary>
    public IReadOnlyList<string>? Suites { get; init; }

    /// <summary>Only these link counts in connections.</summary>
    public IReadOnlyList<int>? Links { get; init; }

    private readonly ResultsStore _results = new(resultsDirectory ?? Path.Combine(BenchPaths.RepoRoot, "bench", ".results"));

    private string ReportPath => reportPath ?? (quick
        ? Path.Combine(_results.Directory, "BENCHMARKS.quick.md")
        : Path.Combine(BenchPaths.RepoRoot, "docs", "BENCHMARKS.md"));

    public async Task<int> AllAsync(CancellationToken cancellationToken)
    {
        _results.Write("machine", MachineInfo.Collect()); // the load average before this run adds its own
        var failed = await EndToEndAsync(cancellationToken);
        failed |= Micro();
        failed |= await ConnectionsAsync(cancellationToken);
        failed |= Report();
        return failed;
    }

    public Task<int> EndToEndAsync(CancellationToken cancellationToken) => GuardAsync("e2e", async () =>
    {
        var settings = (quick ? EndToEndSettings.Reduced : EndToEndSettings.Full) with { Modes = Modes ?? "ABCD" };
        if (Levels is { Count: > 0 })
        {
            settings = settings with { Levels = Levels };
        }

        if (Streams is { } streams)
        {
            settings = settings with { Streams = settings.Levels.ToDictionary(level => level, _ => streams) };
        }

        _results.Write("e2e", await new EndToEndBenchmark(settings, _results.WorkDirectory("e2e")).RunAsync(cancellationToken));
    });

    public int Micro() => GuardAsync("micro", () =>
    {
        _results.Write("micro", MicroRunner.Run(Path.Combine(_results.Directory, "BenchmarkDotNet.Artifacts"), quick, Suites));
        return Task.CompletedTask;
    }).GetAwaiter().GetResult();

    public Task<int> ConnectionsAsync(CancellationToken cancellationToken) => GuardAsync("connections", async () =>
    {
        IReadOnlyList<int> levels = Links is { Count: > 0 } ? Links : quick ? [200, 1_000] : [1_000, 10_000];
        _results.Write("connections", await new ConnectionBenchmark(levels, _results.WorkDirectory("connections"), quick).RunAsync(cancellationToken));
    });

    public int Report()
    {
        if (_results.Read<MachineInfo>("machine") is null)
        {
            _results.Write("machine", MachineInfo.Collect());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(ReportPath)!);
        File.WriteAllText(ReportPath, MarkdownReport.Build(_results));
        Console.WriteLine($"Report written to {ReportPath}");
        return 0;
    }

    /// <summary>Runs a part; a failure is recorded for the report and printed, and the next part still runs.</summary>
    private async Task<int> GuardAsync(string part, Func<Task> body)
    {
        Console.WriteLine($"== {part}{(quick ? " (reduced)" : string.Empty)}");
        try
        {
            await body();
            return 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine($"{part} failed: {ex}");
            _results.WriteError(part, ex);
            return 1;
        }
    }
}
