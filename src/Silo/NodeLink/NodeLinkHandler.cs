using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Infera.Identity;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Reputation;
using Infera.Silo.Hosting;
using Infera.Storage;
using Infera.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Infera.Silo.NodeLink;

/// <summary>
/// Runs one node link: challenge, signed hello, then the node's reports until the socket closes. The node is
/// registered only after its signature over this silo's fresh nonce checks out, so a replayed hello is useless.
/// </summary>
internal sealed partial class NodeLinkHandler(
    NodeRegistry registry,
    ReputationGrains reputation,
    INodeStore nodes,
    IHelloReplayGuard replayGuard,
    NodeLinkShutdown shutdown,
    IOptions<SiloOptions> options,
    TimeProvider clock,
    ILogger<NodeLinkHandler> logger,
    JobInstruments? instruments = null)
{
    /// <summary>
    /// Accepts the WebSocket and runs the link until it closes. <paramref name="stopping"/> is the silo's shutdown
    /// signal alone: a dropped connection fails the socket's pending receive by itself.
    /// </summary>
    public async Task RunAsync(HttpContext context, CancellationToken stopping)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new WebSocketNodeConnection(socket, context.Connection.RemoteIpAddress?.ToString());
        var node = await HandshakeAsync(connection, socket, stopping);
        if (node is null)
        {
            await CloseQuietlyAsync(connection, WebSocketCloseStatus.PolicyViolation, "handshake failed");
            return;
        }

        instruments?.NodeConnected();
        var reason = "connection closed";
        try
        {
            while (await WebSocketFrames.ReceiveMessageAsync(socket, stopping) is { } message)
            {
                if (message is Heartbeat heartbeat)
                {
                    if (node.OnHeartbeat(heartbeat))
                    {
                        registry.Refile(node);
                    }
                }
                else
                {
                    node.OnReport(message);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            reason = "silo shutting down";
            await CloseQuietlyAsync(connection, WebSocketCloseStatus.EndpointUnavailable, reason);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            reason = "protocol error: " + ex.Message;
            await CloseQuietlyAsync(connection, WebSocketCloseStatus.ProtocolError, "protocol error");
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            reason = connection.AbortReason ?? "connection lost: " + ex.Message;
        }
        finally
        {
            instruments?.NodeDisconnected();
            registry.Remove(node);
            node.GoOffline(reason);
            LogNodeDisconnected(logger, node.Address.Value, reason);

            // A node that already reconnected over a newer link stays online in the store.
            if (!registry.TryGet(node.Address, out _))
            {
                await nodes.NodeOfflineAsync(node.Address.Value, clock.GetUtcNow(), CancellationToken.None);
            }
        }
    }

    private async Task<NodeGrain?> HandshakeAsync(WebSocketNodeConnection connection, WebSocket socket, CancellationToken stopping)
    {
        var silo = options.Value;
        if (shutdown.RefusesNewLinks)
        {
            await TrySendAsync(connection, new Rejected("this silo is shutting down; connect to another silo"));
            return null;
        }

        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await connection.SendAsync(new Challenge(NodeLinkProtocol.Version, silo.SiloId, nonce), stopping);

        Hello? hello;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(silo.HandshakeTimeout);
            hello = await WebSocketFrames.ReceiveMessageAsync(socket, timeout.Token) as Hello;
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or OperationCanceledException or WebSocketException)
        {
            LogHandshakeRejected(logger, connection.RemoteAddress, ex.Message);
            return null;
        }

        var problem = hello is null ? "the first message must be a hello" : Validate(hello, silo.SiloId, nonce);
        if (problem is null && !await replayGuard.TryUseAsync(hello!.Signature, stopping))
        {
            problem = "this hello's signature was used before (a replay)";
        }

        if (hello is null || problem is not null)
        {
            LogHandshakeRejected(logger, connection.RemoteAddress, problem!);
            await TrySendAsync(connection, new Rejected(problem!));
            return null;
        }

        var address = NodeAddress.Parse(hello.Address);
        var trust = await reputation.Get(address.Value).GetAsync(stopping);
        if (trust.IsEjected)
        {
            var why = $"this node was ejected from the network: {trust.EjectedReason}";
            LogHandshakeRejected(logger, connection.RemoteAddress, why);
            await TrySendAsync(connection, new Rejected(why));
            return null;
        }

        var (firstSeen, onlineBefore) = await nodes.NodeOnlineAsync(
            new NodeRecord(address.Value, hello.PublicKey, hello.Backend, hello.Models, hello.Hardware, clock.GetUtcNow()), stopping);
        var node = new NodeGrain(address, hello, connection, clock, trust, new NodeHistory(firstSeen, onlineBefore));
        registry.Add(node)?.GoOffline("replaced by a newer connection of the same node");
        await connection.SendAsync(new Welcome(address.Value, (int)silo.HeartbeatInterval.TotalMilliseconds), stopping);
        LogNodeConnected(logger, address.Value, hello.Backend, string.Join(',', hello.Models.Select(m => m.Name)), hello.MaxConcurrency);
        return node;
    }

    /// <summary>Why the hello is refused, or null when it proves the claimed address for this nonce.</summary>
    private string? Validate(Hello hello, string siloId, string nonce)
    {
        if (!NodeAddress.TryParse(hello.Address, out var address))
        {
            return "the address is not an Ethereum address";
        }

        var skew = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(hello.SignedAtUnixMs);
        if (skew.Duration() > NodeLinkProtocol.MaxClockSkew)
        {
            return $"signed_at is {skew.TotalSeconds:F0} s away from the silo's clock; check the node's clock";
        }

        if (!TryHex(hello.PublicKey, 64, out var publicKey) || !TryHex(hello.Signature, 64, out var signature))
        {
            return "public_key and signature must be 64 bytes of hex each";
        }

        if (hello.MaxConcurrency is < 1 or > 4096)
        {
            return "max_concurrency must be between 1 and 4096";
        }

        var text = NodeLinkProtocol.HandshakeText(siloId, nonce, address, hello.SignedAtUnixMs);
        if (!PersonalMessage.Verify(text, signature, publicKey, address))
        {
            return "the signature does not prove the address";
        }

        return hello.Operator is null ? null : ValidateOperator(hello, address);
    }

    /// <summary>The operator link must be the operator's signature over this node's address.</summary>
    private static string? ValidateOperator(Hello hello, NodeAddress node)
    {
        if (!NodeAddress.TryParse(hello.Operator, out var operatorAddress))
        {
            return "operator is not an Ethereum address";
        }

        // An r || s signature alone does not reveal the signer; the operator's public key comes first in the field.
        if (!TryHex(hello.OperatorSignature, 128, out var keyAndSignature))
        {
            return "operator_signature must be the operator's public key (64 bytes) followed by its signature (64 bytes), in hex";
        }

        return PersonalMessage.Verify(NodeLinkProtocol.OperatorLinkText(node), keyAndSignature.AsSpan(64), keyAndSignature.AsSpan(0, 64), operatorAddress)
            ? null
            : "operator_signature does not prove the operator's link to this node";
    }

    private static bool TryHex(string? hex, int bytes, out byte[] value)
    {
        value = [];
        if (hex is null)
        {
            return false;
        }

        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (digits.Length != bytes * 2 || !digits.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        value = Convert.FromHexString(digits);
        return true;
    }

    private static async Task TrySendAsync(WebSocketNodeConnection connection, NodeLinkMessage message)
    {
        try
        {
            await connection.SendAsync(message, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // already closed
        }
    }

    private static async Task CloseQuietlyAsync(WebSocketNodeConnection connection, WebSocketCloseStatus status, string description)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.CloseAsync(status, description, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the peer is gone already
        }
    }

    [LoggerMessage(2001, LogLevel.Information, "Node {Address} connected: backend {Backend}, models {Models}, concurrency {MaxConcurrency}")]
    private static partial void LogNodeConnected(ILogger logger, string address, string backend, string models, int maxConcurrency);

    [LoggerMessage(2002, LogLevel.Information, "Node {Address} disconnected: {Reason}")]
    private static partial void LogNodeDisconnected(ILogger logger, string address, string reason);

    [LoggerMessage(2003, LogLevel.Warning, "Node link from {Remote} refused: {Reason}")]
    private static partial void LogHandshakeRejected(ILogger logger, string? remote, string reason);
}
