using BenchmarkDotNet.Attributes;
using Infera.NodeLink;

namespace Infera.Bench.Micro;

/// <summary>The silo's per-token work on the node link: parsing an agent's token frame, and a heartbeat frame.</summary>
public class NodeLinkFrameBenchmarks
{
    private readonly byte[] _token = NodeLinkProtocol.Serialize(new TokenChunk("job-0123456789abcdef01234567.1", " word"));
    private readonly byte[] _heartbeat = NodeLinkProtocol.Serialize(new Heartbeat(3));
    private readonly TokenChunk _chunk = new("job-0123456789abcdef01234567.1", " word");

    [Benchmark(Description = "parse token frame")]
    public NodeLinkMessage ParseToken() => NodeLinkProtocol.Deserialize(_token);

    [Benchmark(Description = "parse heartbeat frame")]
    public NodeLinkMessage ParseHeartbeat() => NodeLinkProtocol.Deserialize(_heartbeat);

    [Benchmark(Description = "serialize token frame (agent)")]
    public byte[] SerializeToken() => NodeLinkProtocol.Serialize(_chunk);
}
