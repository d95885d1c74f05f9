using System.Globalization;
using System.Text.Json;
using Infera.Identity;

namespace Infera.NodeLink;

/// <summary>Constants and the handshake text of the node link.</summary>
public static class NodeLinkProtocol
{
    public const int Version = 1;

    /// <summary>The path on a silo that agents dial.</summary>
    public const string Path = "/v1/node-link";

    /// <summary>How far a hello's timestamp may be from the silo's clock.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The exact text an agent signs (EIP-191) to answer a challenge; readable in a wallet prompt.</summary>
    public static string HandshakeText(string siloId, string nonce, NodeAddress address, long signedAtUnixMs) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Infera node link v{Version}\nsilo: {siloId}\nnonce: {nonce}\naddress: {address}\nsigned_at: {signedAtUnixMs}");

    /// <summary>What an operator signs, once, to link a node to its account (so its replicas avoid each other).</summary>
    public static string OperatorLinkText(NodeAddress node) => $"Infera operator link\nnode: {node}";

    public static byte[] Serialize(NodeLinkMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, NodeLinkJsonContext.Default.NodeLinkMessage);

    /// <summary>Parses one frame; a frame that is not a known message is a <see cref="JsonException"/>.</summary>
    public static NodeLinkMessage Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        if (TokenFrame.TryRead(utf8Json) is { } token)
        {
            return token;
        }

        try
        {
            return JsonSerializer.Deserialize(utf8Json, NodeLinkJsonContext.Default.NodeLinkMessage)
                ?? throw new JsonException("A node-link frame was the JSON literal null.");
        }
        catch (NotSupportedException ex)
        {
            // System.Text.Json reports an object with no known 'type' this way (the base type is abstract).
            throw new JsonException("A node-link frame did not name a known message type in its 'type' field.", ex);
        }
    }
}
