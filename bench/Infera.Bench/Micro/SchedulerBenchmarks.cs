using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Infera.Identity;
using Infera.Jobs;
using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.Bench.Micro;

/// <summary>
/// Choosing 3 nodes for a job among 1k, 10k and 100k live nodes: the policy alone (<see cref="NodeSelector.Rank"/>
/// over a ready list), and what a job actually does (<see cref="NodeRegistry.Serving"/> then Rank).
/// </summary>
public class SchedulerBenchmarks
{
    private const string Model = "bench-model";
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

    [Benchmark(Description = "Rank: choose 3")]
    public List<NodeGrain> Rank() => NodeSelector.Rank(_nodes, 3, None, None, _random);

    [Benchmark(Description = "Serving + Rank: choose 3 (a job's path)")]
    public List<NodeGrain> ServingAndRank() => NodeSelector.Rank(_registry.Serving(Model), 3, None, None, _random);

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
            var node = new NodeGrain(address, hello, new IdleConnection(ip), TimeProvider.System, reputation: random.Next(20, 95));
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
