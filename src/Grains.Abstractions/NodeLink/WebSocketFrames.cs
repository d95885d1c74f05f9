using System.Buffers;
using System.Net.WebSockets;

namespace Infera.NodeLink;

/// <summary>Reads whole messages off a WebSocket, refusing any larger than a bound.</summary>
public static class WebSocketFrames
{
    /// <summary>A token chunk or a hello is far below this; a larger message is an attack or a bug.</summary>
    public const int MaxMessageBytes = 1 << 20;

    /// <summary>The next text message, or null when the peer closed the socket.</summary>
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
