using BenchmarkDotNet.Attributes;
using Infera.Jobs;
using Infera.Storage.Sqlite;
using Infera.Trust;
using Microsoft.Extensions.Options;

namespace Infera.Bench.Micro;

/// <summary>
/// What the embedded store writes per k = 3 job: the job view at dispatch (3 running assignments) and at the end
/// (3 outputs of about 256 tokens, 3 verdicts), then one trust save per node, against a migrated file in the temp
/// folder. Alone, every write is a batch of its own; 64 jobs at once share batches (group commit), as under load.
/// </summary>
public class SqliteStoreBenchmarks : IDisposable
{
    private const int Concurrent = 64;
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_763_800_000_000);
    private static readonly string[] Nodes = ["0xA", "0xB", "0xC"];
    private string _path = null!;
    private SqliteDatabase _database = null!;
    private SqliteJobStore _jobs = null!;
    private SqliteTrustStore _trust = null!;
    private string[] _outputs = null!;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"infera-bench-{Guid.NewGuid():N}.db");
        _database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = _path }));
        _database.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _jobs = new SqliteJobStore(_database);
        _trust = new SqliteTrustStore(_database);
        var text = VerifierBenchmarks.Text(256, seed: 1);
        _outputs = [text, text, text.Replace(" the ", " a ", StringComparison.Ordinal)];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _database.Dispose();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "one job alone: 2 job saves + 3 trust saves")]
    public Task OneJob() => JobAsync(Interlocked.Increment(ref _next));

    [Benchmark(Description = "64 jobs at once (group commit), per job", OperationsPerInvoke = Concurrent)]
    public Task ConcurrentJobs() =>
        Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => JobAsync(Interlocked.Increment(ref _next))));

    private async Task JobAsync(long n)
    {
        var id = $"job-{n:D24}";
        var running = Enumerable.Range(0, 3)
            .Select(i => new AssignmentView($"{id}.{i + 1}", Nodes[i], i == 0 ? AssignmentRoles.Primary : AssignmentRoles.Replica, AssignmentStatuses.Running, null, string.Empty, null, null, null, null, At, null, null))
            .ToList();
        var job = new JobView(id, JobView.ObjectName, JobStatuses.Running, "bench-model", true, At, null, null, null, null, 3, running, null);
        await _jobs.SaveAsync("tenant", job, CancellationToken.None);

        var done = running.Select((a, i) => a with { Status = AssignmentStatuses.Completed, Output = _outputs[i], FinishReason = "length", PromptTokens = 20, CompletionTokens = 256, TimeToFirstTokenMs = 40, TotalMs = 2_600 }).ToList();
        var verification = new VerificationView(
            VerificationStatuses.Verified,
            "lexical-cosine",
            0.8,
            [.. done.Select(a => new VerdictView(a.Node, a.Id, Verdicts.Agree, 0.97))],
            [new SimilarityView(done[0].Id, done[1].Id, 1), new SimilarityView(done[0].Id, done[2].Id, 0.96), new SimilarityView(done[1].Id, done[2].Id, 0.96)],
            done[0].Id,
            done[0].Node,
            true,
            "3 of 3 outputs agree.");
        await _jobs.SaveAsync("tenant", job with { Status = JobStatuses.Completed, CompletedAt = At.AddSeconds(3), FinishReason = "length", Usage = new UsageView(20, 256, 276), Assignments = done, Verification = verification }, CancellationToken.None);

        foreach (var node in Nodes)
        {
            var before = NodeTrust.New(node, 0.9, 100);
            var after = before with { Agreement = 0.91, Points = before.Points + 1 };
            await _trust.SaveAsync(after, [new TrustEvent(node, id, TrustEventKinds.Reward, before.Reputation, after.Reputation, 0, 1, "agreed with the majority", At)], CancellationToken.None);
        }
    }
}
