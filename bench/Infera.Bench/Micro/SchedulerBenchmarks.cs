using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Infera.Identity;
using Infera.Jobs;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Trust;

namespace Infera.Bench.Micro;

/// <summary>
/// Choosing 3 nodes for a job among 1k, 10k and 100k live nodes: what a job does (a random sample of the model's pool
/// from <see cref="NodeRegistry.Candidates"/>, then <see cref="NodeSelector.Rank"/>), and the policy over the whole
/// pool for comparison.
/// </summary>
public class SchedulerBenchmarks
{
    private const string Model = "bench-model";
    private const int JobSample = 32; // JobGrain's CandidateSample: max(32, 8 k) for k = 3
    private static readonly Dictionary<int, (NodeRegistry Registry, List<NodeGrain> Nodes)> Pools = [];
    private static readonly HashSet<string> None = [];
    private readonly Random _random = new(42);
    private NodeRegistry _registry = null!;
    private List<NodeGrain> _nodes = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Building 100k nodes costs seconds (a Keccak hash per address); both benchmarks share one pool per size.
        if (!Pools.TryGetValue(Nodes, out var pool))
        {
            pool = Build(Nodes);
            Pools[Nodes] = pool;
        }

        (_registry, _nodes) = pool;
    }

    [Benchmark(Description = "Candidates(32) + Rank: choose 3 (a job's path)")]
    public List<NodeGrain> JobPath() => NodeSelector.Rank(_registry.Candidates(Model, JobSample, _random), 3, None, None, _random, DateTimeOffset.UtcNow);

    [Benchmark(Description = "Rank over the whole pool: choose 3")]
    public List<NodeGrain> RankAll() => NodeSelector.Rank(_nodes, 3, None, None, _random, DateTimeOffset.UtcNow);

    private static (NodeRegistry, List<NodeGrain>) Build(int count)
    {
        var random = new Random(7);
        var registry = new NodeRegistry();
        var nodes = new List<NodeGrain>(count);
        for (var i = 0; i < count; i++)
        {
            var address = NodeAddress.FromPublicKey(RandomNumberGenerator.GetBytes(64));
            var maxConcurrency = random.Next(1, 9);
            var hello = new Hello(
                address.Value, new string('0', 128), new string('0', 128), 0, "bench", "openai", maxConcurrency,
                [new ModelOffer(Model)], new HardwareInfo("RTX 4090", 24_576, 16, 65_536));
            var ip = $"10.{(i >> 16) & 0xFF}.{(i >> 8) & 0xFF}.{i & 0xFF}";
            var trust = NodeTrust.New(address.Value, initialAgreement: random.Next(20, 95) / 100.0, initialStake: 100);
            var node = new NodeGrain(address, hello, new IdleConnection(ip), TimeProvider.System, trust);
            for (var slot = random.Next(0, maxConcurrency + 1); slot > 0; slot--)
            {
                node.TryReserve(Model, $"busy-{i}-{slot}", IdleSink.Instance); // some nodes busy, some full
            }

            registry.Add(node);
            nodes.Add(node);
        }

        return (registry, nodes);
    }

    private sealed class IdleConnection(string remoteAddress) : INodeConnection
    {
        public string? RemoteAddress { get; } = remoteAddress;

        public ValueTask SendAsync(NodeLinkMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Abort(string reason)
        {
        }
    }

    private sealed class IdleSink : IAssignmentSink
    {
        public static readonly IdleSink Instance = new();

        public void OnToken(string text)
        {
        }

        public void OnResult(AssignmentResult result)
        {
        }

        public void OnFailed(string error)
        {
        }
    }
}
