using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using Infera.Identity;
using Infera.NodeAgent.Backends;
using Infera.NodeLink;
using Microsoft.Extensions.Logging;

namespace Infera.NodeAgent;

/// <summary>One connection to a silo: the signed handshake, heartbeats, and the jobs dispatched over it.</summary>
internal sealed partial class NodeLinkSession(
    IInferenceBackend backend,
    NodeIdentity identity,
    AgentOptions options,
    TimeProvider clock,
    ILogger logger)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, RunningAssignment> _running = new(StringComparer.Ordinal);
    private int _slotsInUse;
    private volatile bool _draining;
    private WebSocket? _socket;

    public bool WasWelcomed { get; private set; }

    public int ActiveJobs => _running.Count;

    public async Task RunAsync(Uri silo, Action<Uri> onWelcomed, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        _socket = socket;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(silo, connect.Token);
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        var challenge = await ReceiveAsync(socket, buffer, cancellationToken) as Challenge
            ?? throw new InvalidDataException("The silo did not open with a challenge.");
        if (challenge.Protocol != NodeLinkProtocol.Version)
        {
            throw new InvalidDataException($"The silo speaks node-link protocol {challenge.Protocol}; this agent speaks {NodeLinkProtocol.Version}.");
        }

        var offer = await OfferAsync(cancellationToken);
        var signedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var signature = identity.SignMessage(NodeLinkProtocol.HandshakeText(challenge.SiloId, challenge.Nonce, identity.Address, signedAt));
        var outbox = new AgentOutbox(socket);
        outbox.Post(new Hello(
            identity.Address.Value,
            Convert.ToHexStringLower(identity.PublicKey),
            Convert.ToHexStringLower(signature),
            signedAt,
            typeof(NodeLinkSession).Assembly.GetName().Version?.ToString() ?? "0",
            backend.Kind,
            options.MaxConcurrency,
            offer,
            options.Hardware,
            options.Operator,
            options.OperatorLink));

        var welcome = await ReceiveAsync(socket, buffer, cancellationToken) switch
        {
            Welcome w => w,
            Rejected r => throw new InvalidOperationException($"The silo refused this node: {r.Reason}"),
            var other => throw new InvalidDataException($"Expected a welcome, got {other?.GetType().Name ?? "a closed socket"}."),
        };
        WasWelcomed = true;
        onWelcomed(silo);

        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeats = HeartbeatAsync(outbox, TimeSpan.FromMilliseconds(welcome.HeartbeatIntervalMs), session.Token);
        try
        {
            while (await WebSocketFrames.ReceiveAsync(socket, buffer, cancellationToken) is { } frame)
            {
                switch (NodeLinkProtocol.Deserialize(frame.WrittenSpan))
                {
                    case Dispatch dispatch:
                        Start(dispatch, outbox, session.Token);
                        break;
                    case Cancel cancel when _running.TryRemove(cancel.AssignmentId, out var job):
                        await job.Cancel.CancelAsync();
                        break;
                    case Promote promote when _running.TryGetValue(promote.AssignmentId, out var job):
                        job.Relay.GoLive();
                        break;
                    case Drain drain:
                        LogDraining(logger, drain.Reason);
                        _draining = true;
                        CloseIfDrained();
                        break;
                }
            }
        }
        finally
        {
            await session.CancelAsync();
            outbox.Close();
            await heartbeats;
        }
    }

    private async Task<IReadOnlyList<ModelOffer>> OfferAsync(CancellationToken cancellationToken)
    {
        var available = await backend.ListModelsAsync(cancellationToken);
        if (options.Models.Count == 0)
        {
            return available;
        }

        var offer = available.Where(m => options.Models.Contains(m.Name, StringComparer.Ordinal)).ToList();
        foreach (var missing in options.Models.Where(name => offer.All(m => m.Name != name)))
        {
            LogModelMissing(logger, missing, backend.Kind);
        }

        return offer;
    }

    private void Start(Dispatch dispatch, AgentOutbox outbox, CancellationToken session)
    {
        if (_draining)
        {
            outbox.Post(new AssignmentFailed(dispatch.AssignmentId, "node is draining"));
            return;
        }

        if (Interlocked.Increment(ref _slotsInUse) > options.MaxConcurrency)
        {
            Interlocked.Decrement(ref _slotsInUse);
            outbox.Post(new AssignmentFailed(dispatch.AssignmentId, "node is at capacity"));
            return;
        }

        var job = new RunningAssignment(
            CancellationTokenSource.CreateLinkedTokenSource(session),
            new TokenRelay(dispatch.AssignmentId, outbox.Post, TimeSpan.FromMilliseconds(dispatch.FlushMs), clock));
        _running[dispatch.AssignmentId] = job;
        _ = Task.Run(() => RunJobAsync(dispatch, job.Relay, outbox, job.Cancel.Token), CancellationToken.None);
    }

    private async Task RunJobAsync(Dispatch dispatch, TokenRelay relay, AgentOutbox outbox, CancellationToken cancellationToken)
    {
        var id = dispatch.AssignmentId;
        try
        {
            var finished = false;
            var request = new BackendRequest(dispatch.Model, dispatch.Messages, dispatch.Sampling);
            await foreach (var chunk in backend.StreamChatAsync(request, cancellationToken))
            {
                switch (chunk)
                {
                    case BackendText text when text.Text.Length > 0:
                        relay.Add(text.Text);
                        break;
                    case BackendDone done:
                        relay.Flush();
                        outbox.Post(new AssignmentResult(id, done.FinishReason, done.PromptTokens, done.CompletionTokens, backend.HonoursSeed));
                        finished = true;
                        break;
                }
            }

            if (!finished)
            {
                outbox.Post(new AssignmentFailed(id, "the backend ended its stream without finishing"));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the silo, or the link is gone: nobody is waiting for a report.
        }
        catch (BackendException ex)
        {
            outbox.Post(new AssignmentFailed(id, ex.Message));
        }
        catch (Exception ex)
        {
            LogJobCrashed(logger, ex, id);
            outbox.Post(new AssignmentFailed(id, $"{backend.Kind} backend error: {ex.Message}"));
        }
        finally
        {
            _running.TryRemove(id, out _);
            Interlocked.Decrement(ref _slotsInUse);
            CloseIfDrained();
        }
    }

    /// <summary>An assignment this agent runs: how to stop it, and how its text leaves.</summary>
    private sealed record RunningAssignment(CancellationTokenSource Cancel, TokenRelay Relay);

    private void CloseIfDrained()
    {
        if (_draining && _running.IsEmpty && _socket is { } socket)
        {
            _ = socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "drained", CancellationToken.None);
        }
    }

    private async Task HeartbeatAsync(AgentOutbox outbox, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                outbox.Post(new Heartbeat(ActiveJobs));
            }
        }
        catch (OperationCanceledException)
        {
            // the session ended
        }
    }

    private static async Task<NodeLinkMessage?> ReceiveAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        var frame = await WebSocketFrames.ReceiveAsync(socket, buffer, timeout.Token);
        return frame is null ? null : NodeLinkProtocol.Deserialize(frame.WrittenSpan);
    }

    [LoggerMessage(4101, LogLevel.Warning, "Model {Model} was asked for but the {Backend} backend does not have it; it is not offered")]
    private static partial void LogModelMissing(ILogger logger, string model, string backend);

    [LoggerMessage(4102, LogLevel.Error, "Assignment {AssignmentId} crashed")]
    private static partial void LogJobCrashed(ILogger logger, Exception exception, string assignmentId);

    [LoggerMessage(4103, LogLevel.Information, "Silo asked this node to drain: {Reason}")]
    private static partial void LogDraining(ILogger logger, string reason);
}
