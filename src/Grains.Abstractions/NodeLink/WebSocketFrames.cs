using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace Infera.NodeLink;

/// <summary>Reads whole messages off a WebSocket, refusing any larger than a bound.</summary>
public static class WebSocketFrames
{
    /// <summary>A token chunk or a hello is far below this; a larger message is an attack or a bug.</summary>
    public const int MaxMessageBytes = 1 << 20;

    /// <summary>The first buffer rented for a message; heartbeats and token chunks fit with room to spare.</summary>
    private const int FirstRentBytes = 4096;

    /// <summary>
    /// The next node-link message, or null when the peer closed the socket. An idle link holds no buffer: the wait is a
    /// zero-byte receive (ManagedWebSocket passes it down as a zero-byte read, so Kestrel holds none either), and the
    /// message is read into a buffer rented from the shared pool for that message alone. A silo holds thousands of
    /// links that are idle between heartbeats, and a 4 KB buffer held by each would be a fifth of a link's memory.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] // one per link in flight; no box per message
    public static async ValueTask<NodeLinkMessage?> ReceiveMessageAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var next = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (next.MessageType == WebSocketMessageType.Close)
        {
            return null;
        }

        if (next.EndOfMessage)
        {
            return NodeLinkProtocol.Deserialize([]); // an empty message: refused as any malformed one is
        }

        var buffer = ArrayPool<byte>.Shared.Rent(FirstRentBytes);
        var written = 0;
        try
        {
            while (true)
            {
                if (written == buffer.Length && buffer.Length < MaxMessageBytes)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxMessageBytes));
                    buffer.AsSpan(0, written).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                // At the bound the room is zero, and the zero-byte receive only tells whether the message goes on.
                var room = Math.Min(buffer.Length, MaxMessageBytes) - written;
                var result = await socket.ReceiveAsync(buffer.AsMemory(written, room), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                written += result.Count;
                if (result.EndOfMessage)
                {
                    return NodeLinkProtocol.Deserialize(buffer.AsSpan(0, written));
                }

                if (room == 0)
                {
                    throw new InvalidDataException($"A node-link message passed {MaxMessageBytes} bytes.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The next text message into the caller's buffer, or null when the peer closed the socket. For a client that holds
    /// one link; a server holding many uses <see cref="ReceiveMessageAsync"/>.
    /// </summary>
    public static async Task<ArrayBufferWriter<byte>?> ReceiveAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var result = await socket.ReceiveAsync(memory, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxMessageBytes)
            {
                throw new InvalidDataException($"A node-link message passed {MaxMessageBytes} bytes.");
            }

            if (result.EndOfMessage)
            {
                return buffer;
            }
        }
    }
}
