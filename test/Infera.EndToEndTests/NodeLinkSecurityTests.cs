using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using Infera.EndToEndTests.Support;
using Infera.Identity;
using Infera.NodeLink;

namespace Infera.EndToEndTests;

/// <summary>The node link admits only nodes that sign this silo's fresh challenge with the key of the address they claim.</summary>
public sealed class NodeLinkSecurityTests
{
    private static readonly HardwareInfo Hardware = new(null, null, 2, 1024);

    [Test]
    public async Task A_correctly_signed_hello_is_welcomed()
    {
        await using var network = await TestNetwork.StartAsync();
        using var identity = NodeIdentity.Create();
        var reply = await HandshakeAsync(network, (challenge, signedAt) => Hello(identity, identity.Address, identity.SignMessage(
            NodeLinkProtocol.HandshakeText(challenge.SiloId, challenge.Nonce, identity.Address, signedAt)), signedAt));
        Assert.That(reply, Is.TypeOf<Welcome>());
    }

    [Test]
    public async Task A_hello_signed_for_another_nonce_is_refused_so_a_captured_hello_cannot_be_replayed()
    {
        await using var network = await TestNetwork.StartAsync();
        using var identity = NodeIdentity.Create();
        var reply = await HandshakeAsync(network, (challenge, signedAt) => Hello(identity, identity.Address, identity.SignMessage(
            NodeLinkProtocol.HandshakeText(challenge.SiloId, "an-old-nonce", identity.Address, signedAt)), signedAt));
        Assert.That(reply, Is.TypeOf<Rejected>());
        Assert.That(((Rejected)reply!).Reason, Does.Contain("signature"));
    }

    [Test]
    public async Task A_hello_claiming_someone_elses_address_is_refused()
    {
        await using var network = await TestNetwork.StartAsync();
        using var identity = NodeIdentity.Create();
        using var victim = NodeIdentity.Create();
        var reply = await HandshakeAsync(network, (challenge, signedAt) => Hello(identity, victim.Address, identity.SignMessage(
            NodeLinkProtocol.HandshakeText(challenge.SiloId, challenge.Nonce, victim.Address, signedAt)), signedAt));
        Assert.That(reply, Is.TypeOf<Rejected>());
    }

    [Test]
    public async Task A_hello_with_a_stale_timestamp_is_refused()
    {
        await using var network = await TestNetwork.StartAsync();
        using var identity = NodeIdentity.Create();
        var reply = await HandshakeAsync(network, (challenge, _) =>
        {
            var stale = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
            return Hello(identity, identity.Address, identity.SignMessage(NodeLinkProtocol.HandshakeText(challenge.SiloId, challenge.Nonce, identity.Address, stale)), stale);
        });
        Assert.That(reply, Is.TypeOf<Rejected>());
        Assert.That(((Rejected)reply!).Reason, Does.Contain("clock"));
    }

    [Test]
    public async Task A_plain_http_request_to_the_node_link_gets_400()
    {
        await using var network = await TestNetwork.StartAsync();
        using var response = await network.Http.GetAsync(NodeLinkProtocol.Path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private static Hello Hello(NodeIdentity identity, NodeAddress claimed, byte[] signature, long signedAt) => new(
        claimed.Value, Convert.ToHexStringLower(identity.PublicKey), Convert.ToHexStringLower(signature), signedAt, "test", "simulated", 1,
        [new ModelOffer("simulated-test", Simulated: true)], Hardware);

    private static async Task<NodeLinkMessage?> HandshakeAsync(TestNetwork network, Func<Challenge, long, Hello> answer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{network.BaseAddress.Authority}{NodeLinkProtocol.Path}"), timeout.Token);
        var buffer = new ArrayBufferWriter<byte>();
        var challenge = (Challenge)NodeLinkProtocol.Deserialize((await WebSocketFrames.ReceiveAsync(socket, buffer, timeout.Token))!.WrittenSpan);
        var hello = answer(challenge, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await socket.SendAsync(NodeLinkProtocol.Serialize(hello), WebSocketMessageType.Text, true, timeout.Token);
        var reply = await WebSocketFrames.ReceiveAsync(socket, buffer, timeout.Token);
        return reply is null ? null : NodeLinkProtocol.Deserialize(reply.WrittenSpan);
    }
}
