using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Columns;

namespace Infera.Bench.Micro;

/// <summary>
/// Part 2: BenchmarkDotNet over the real types. The benchmarks run in this process (the in-process toolchain), so no
/// project is generated and built per benchmark, and the short job keeps the whole part to a few minutes.
/// </summary>
internal static class MicroRunner
{
    /// <summary>Runs the suites named in <paramref name="suites"/> (a type's name less "Benchmarks"), or all of them when null.</summary>
    public static List<MicroResult> Run(string artifactsPath, bool quick, IReadOnlyCollection<string>? suites = null)
    {
        // ShortRun (3 warm-ups, 3 iterations) with 250 ms iterations and no overhead stage: every benchmark here takes
        // hundreds of nanoseconds or more, so the empty-loop overhead is noise, and the part stays at a few minutes.
        var job = (quick
                ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(1).WithIterationTime(TimeInterval.FromMilliseconds(50))
                : Job.ShortRun.WithIterationTime(TimeInterval.FromMilliseconds(250)))
            .WithEvaluateOverhead(false)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId(quick ? "Quick-InProcess" : "ShortRun-InProcess");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifactsPath);
        Type[] all = [typeof(SchedulerBenchmarks), typeof(VerifierBenchmarks), typeof(SseWriterBenchmarks), typeof(SignatureBenchmarks), typeof(NodeLinkFrameBenchmarks), typeof(SqliteStoreBenchmarks)];
        var summaries = BenchmarkRunner.Run([.. all.Where(t => suites is null || suites.Contains(SuiteName(t), StringComparer.OrdinalIgnoreCase))], config);
        return [.. summaries.SelectMany(s => s.Reports.Select(r => ToResult(s, r)))];
    }

    private static string SuiteName(Type suite) => suite.Name.Replace("Benchmarks", string.Empty, StringComparison.Ordinal);

    private static MicroResult ToResult(Summary summary, BenchmarkReport report)
    {
        var benchmark = report.BenchmarkCase;
        var stats = report.ResultStatistics;
        return new MicroResult(
            SuiteName(benchmark.Descriptor.Type),
            benchmark.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
            benchmark.Parameters.DisplayInfo,
            stats?.Mean,
            stats?.Median,
            stats?.StandardError,
            report.GcStats.GetBytesAllocatedPerOperation(benchmark),
            summary.HostEnvironmentInfo.RuntimeVersion);
    }
}

/// <summary>One benchmark's figures; times in nanoseconds, null when it failed.</summary>
internal sealed record MicroResult(string Suite, string Benchmark, string Parameters, double? MeanNs, double? MedianNs, double? StdErrNs, long? AllocatedBytes, string Runtime);
