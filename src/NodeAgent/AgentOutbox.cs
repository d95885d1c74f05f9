using System.Net.WebSockets;
using System.Threading.Channels;
using Infera.NodeLink;

namespace Infera.NodeAgent;

/// <summary>
/// The agent's sends, one at a time as a WebSocket requires. Token chunks of one assignment that queued up while the
/// socket was busy leave as one frame: no token waits for it, and a busy link carries fewer, larger frames.
/// </summary>
internal sealed class AgentOutbox
{
    private readonly WebSocket _socket;
    private readonly Channel<NodeLinkMessage> _queue = Channel.CreateUnbounded<NodeLinkMessage>(new() { SingleReader = true });

    public AgentOutbox(WebSocket socket)
    {
        _socket = socket;
        Completion = SendLoopAsync();
    }

    public Task Completion { get; }

    /// <summary>Queues a message; false once the link is closing.</summary>
    public bool Post(NodeLinkMessage message) => _queue.Writer.TryWrite(message);

    public void Close() => _queue.Writer.TryComplete();

    private async Task SendLoopAsync()
    {
        try
        {
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync())
            {
                NodeLinkMessage? pending = null;
                while (reader.TryRead(out var next))
                {
                    if (pending is TokenChunk held && next is TokenChunk more && held.AssignmentId == more.AssignmentId)
                    {
                        pending = held with { Text = held.Text + more.Text };
                        continue;
                    }

                    if (pending is not null)
                    {
                        await SendAsync(pending);
                    }

                    pending = next;
                }

                if (pending is not null)
                {
                    await SendAsync(pending);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _queue.Writer.TryComplete();
        }
    }

    private Task SendAsync(NodeLinkMessage message) =>
        _socket.SendAsync(NodeLinkProtocol.Serialize(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
}
