using System.Security.Cryptography;
using Infera.Identity;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Trust;

namespace Infera.UnitTests.Support;

/// <summary>A node grain on a fake link, as the silo would hold it after a successful handshake.</summary>
internal sealed record TestNode(NodeGrain Grain, FakeNodeConnection Link)
{
    public string Address => Grain.Address.Value;

    public Task<Dispatch> DispatchedAsync() => Link.WaitForAsync<Dispatch>();

    public void Token(Dispatch dispatch, string text) => Grain.OnReport(new TokenChunk(dispatch.AssignmentId, text));

    public void Finish(Dispatch dispatch, int promptTokens = 10, int completionTokens = 5, string finishReason = "stop") =>
        Grain.OnReport(new AssignmentResult(dispatch.AssignmentId, finishReason, promptTokens, completionTokens));

    /// <summary>Streams <paramref name="text"/> word by word, then reports the result.</summary>
    public void Answer(Dispatch dispatch, string text, int promptTokens = 10, int completionTokens = 5)
    {
        foreach (var piece in TestNodes.Pieces(text))
        {
            Token(dispatch, piece);
        }

        Finish(dispatch, promptTokens, completionTokens);
    }
}

internal static class TestNodes
{
    public static TestNode Create(
        TimeProvider clock,
        double reputation = 50,
        int maxConcurrency = 1,
        string? remoteAddress = null,
        params ModelOffer[] models)
    {
        var link = new FakeNodeConnection(remoteAddress);
        var address = NodeAddress.FromPublicKey(RandomNumberGenerator.GetBytes(64));
        var hello = Hello(address, maxConcurrency, models.Length == 0 ? [new ModelOffer("llama3")] : models);
        return new TestNode(new NodeGrain(address, hello, link, clock, Trust(address.Value, reputation)), link);
    }

    /// <summary>A standing whose reputation is exactly <paramref name="reputation"/>: quality 1, agreement r/100.</summary>
    public static NodeTrust Trust(string address, double reputation) =>
        new(address, reputation / 100, 1, 1, 1, Stake: 100, Points: 0, Offences: 0, Verdicts: 0, null, null, null);

    public static Hello Hello(NodeAddress address, int maxConcurrency, IReadOnlyList<ModelOffer> models) => new(
        address.Value,
        PublicKey: new string('0', 128),
        Signature: new string('0', 128),
        SignedAtUnixMs: 0,
        AgentVersion: "test",
        Backend: "simulated",
        maxConcurrency,
        models,
        new HardwareInfo(Gpu: null, VramMb: null, CpuCores: 4, RamMb: 8192));

    /// <summary>The text cut after each space, the way a backend streams words.</summary>
    public static IEnumerable<string> Pieces(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ')
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
