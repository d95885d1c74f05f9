using System.Net.WebSockets;
using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.Silo.NodeLink;

/// <summary>
/// The silo's end of one node link. Sends go through a queue drained by one loop, because a WebSocket allows one
/// send at a time and a job must never wait on another job's network write. The loop runs only while there is
/// something to send, and the queue lives as long: most links are idle, and an idle link holds neither.
/// </summary>
internal sealed class WebSocketNodeConnection(WebSocket socket, string? remoteAddress) : INodeConnection
{
    private readonly Lock _gate = new();
    private Queue<NodeLinkMessage>? _queue;
    private Task? _sending;
    private bool _closed;

    public string? RemoteAddress { get; } = remoteAddress;

    public string? AbortReason { get; private set; }

    public ValueTask SendAsync(NodeLinkMessage message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_closed)
            {
                throw new InvalidOperationException($"The node link is closed ({AbortReason ?? "socket closed"}).");
            }

            (_queue ??= new Queue<NodeLinkMessage>()).Enqueue(message);
            _sending ??= SendQueuedAsync();
        }

        return ValueTask.CompletedTask;
    }

    public void Abort(string reason)
    {
        lock (_gate)
        {
            AbortReason ??= reason;
            _closed = true;
        }

        socket.Abort();
    }

    /// <summary>Sends what is queued, then closes the socket politely.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description, CancellationToken cancellationToken)
    {
        Task? sending;
        lock (_gate)
        {
            _closed = true;
            sending = _sending;
        }

        if (sending is not null)
        {
            await sending;
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(status, description, cancellationToken);
        }
    }

    /// <summary>Sends until the queue is empty; started by the send that finds no loop running.</summary>
    private async Task SendQueuedAsync()
    {
        await Task.Yield(); // the caller only queues; the network write happens on the thread pool
        try
        {
            while (true)
            {
                NodeLinkMessage message;
                lock (_gate)
                {
                    if (!_queue!.TryDequeue(out message!))
                    {
                        _queue = null;
                        _sending = null;
                        return;
                    }
                }

                await socket.SendAsync(NodeLinkProtocol.Serialize(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            lock (_gate)
            {
                AbortReason ??= "send failed: " + ex.Message;
                _closed = true;
                _queue = null;
                _sending = null;
            }
        }
    }
}
