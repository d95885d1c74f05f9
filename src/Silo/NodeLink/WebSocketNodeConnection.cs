using System.Net.WebSockets;
using System.Threading.Channels;
using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.Silo.NodeLink;

/// <summary>
/// The silo's end of one node link. Sends go through a queue drained by one loop, because a WebSocket allows one
/// send at a time and a job must never wait on another job's network write.
/// </summary>
internal sealed class WebSocketNodeConnection : INodeConnection
{
    private readonly WebSocket _socket;
    private readonly Channel<NodeLinkMessage> _outbox = Channel.CreateUnbounded<NodeLinkMessage>(new() { SingleReader = true });
    private readonly Task _sending;

    public WebSocketNodeConnection(WebSocket socket, string? remoteAddress)
    {
        _socket = socket;
        RemoteAddress = remoteAddress;
        _sending = SendLoopAsync();
    }

    public string? RemoteAddress { get; }

    public string? AbortReason { get; private set; }

    public ValueTask SendAsync(NodeLinkMessage message, CancellationToken cancellationToken)
    {
        if (!_outbox.Writer.TryWrite(message))
        {
            throw new InvalidOperationException($"The node link is closed ({AbortReason ?? "socket closed"}).");
        }

        return ValueTask.CompletedTask;
    }

    public void Abort(string reason)
    {
        AbortReason ??= reason;
        _outbox.Writer.TryComplete();
        _socket.Abort();
    }

    /// <summary>Sends what is queued, then closes the socket politely.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description, CancellationToken cancellationToken)
    {
        _outbox.Writer.TryComplete();
        await _sending;
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(status, description, cancellationToken);
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync())
            {
                var frame = NodeLinkProtocol.Serialize(message);
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            AbortReason ??= "send failed: " + ex.Message;
            _outbox.Writer.TryComplete();
        }
    }
}
