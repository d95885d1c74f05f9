using System.Buffers;
using System.Net.WebSockets;
using Infera.Identity;
using Infera.NodeLink;

namespace Infera.Bench.Connections;

/// <summary>
/// A node agent reduced to its link: the real signed handshake over a raw WebSocket, then heartbeats. No backend,
/// no job handling, so thousands fit in one process; the silo cannot tell it from a real agent.
/// </summary>
internal sealed class LightAgent(NodeIdentity identity) : IDisposable
{
    private static readonly IReadOnlyList<ModelOffer> Offer = [new ModelOffer("bench-model")];
    private static readonly HardwareInfo Hardware = new("RTX 4090", 24_576, 16, 65_536);
    private static readonly byte[] HeartbeatFrame = NodeLinkProtocol.Serialize(new Heartbeat(0));
    private readonly ClientWebSocket _socket = new();
    private Task _receiving = Task.CompletedTask;

    public TimeSpan HeartbeatInterval { get; private set; }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public async Task ConnectAsync(Uri nodeLink, CancellationToken cancellationToken)
    {
        // The silo's own keep-alive pings stay on; the agent sends none of its own, so the host's CPU over a window is
        // heartbeats (plus the silo's pings, every 30 s per link).
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await _socket.ConnectAsync(nodeLink, cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(512);
        var challenge = await ReceiveAsync(buffer, cancellationToken) as Challenge
            ?? throw new InvalidDataException("The silo did not open with a challenge.");
        var signedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var signature = identity.SignMessage(NodeLinkProtocol.HandshakeText(challenge.SiloId, challenge.Nonce, identity.Address, signedAt));
        var hello = new Hello(
            identity.Address.Value, Convert.ToHexStringLower(identity.PublicKey), Convert.ToHexStringLower(signature), signedAt,
            "bench-light", "openai", 4, Offer, Hardware);
        await _socket.SendAsync(NodeLinkProtocol.Serialize(hello), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var welcome = await ReceiveAsync(buffer, cancellationToken) switch
        {
            Welcome w => w,
            Rejected r => throw new InvalidOperationException($"The silo refused the light agent: {r.Reason}"),
            var other => throw new InvalidDataException($"Expected a welcome, got {other?.GetType().Name ?? "a closed socket"}."),
        };
        HeartbeatInterval = TimeSpan.FromMilliseconds(welcome.HeartbeatIntervalMs);
        _receiving = DrainAsync(buffer);
    }

    /// <summary>Sends one heartbeat; false when the link is gone.</summary>
    public async ValueTask<bool> HeartbeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(HeartbeatFrame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _socket.Abort();
        _socket.Dispose();
    }

    private async Task<NodeLinkMessage?> ReceiveAsync(ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        var frame = await WebSocketFrames.ReceiveAsync(_socket, buffer, cancellationToken);
        return frame is null ? null : NodeLinkProtocol.Deserialize(frame.WrittenSpan);
    }

    /// <summary>Keeps a receive pending, as a real agent does, so pings are answered and a close is seen.</summary>
    private async Task DrainAsync(ArrayBufferWriter<byte> buffer)
    {
        try
        {
            while (await WebSocketFrames.ReceiveAsync(_socket, buffer, CancellationToken.None) is not null)
            {
                // a light agent takes no jobs
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            // the link is gone; IsOpen says so
        }
    }
}
