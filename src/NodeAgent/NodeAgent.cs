using Infera.Identity;
using Infera.NodeAgent.Backends;
using Microsoft.Extensions.Logging;

namespace Infera.NodeAgent;

/// <summary>
/// The daemon: keeps a link to one of its silos open, reconnecting with exponential backoff and jitter, and runs the
/// jobs it is given on its backend.
/// </summary>
public sealed partial class NodeAgent(
    IInferenceBackend backend,
    NodeIdentity identity,
    AgentOptions options,
    TimeProvider clock,
    ILogger<NodeAgent> logger)
{
    private TaskCompletionSource _connected = NewSignal();

    public NodeAddress Address => identity.Address;

    /// <summary>Jobs running now.</summary>
    public int ActiveJobs => _session?.ActiveJobs ?? 0;

    /// <summary>Times a link was established (the first one included).</summary>
    public int Connections { get; private set; }

    private NodeLinkSession? _session;

    /// <summary>The silo the agent is linked to now, or last was.</summary>
    public Uri? Silo { get; private set; }

    /// <summary>Completes when the agent is connected and welcomed; completes again after each reconnect.</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.Silos.Count == 0)
        {
            throw new InvalidOperationException("An agent needs at least one silo URL.");
        }

        // Each node starts at its own place in the list (by its address), so a fleet given the same list spreads out.
        var first = (int)(Convert.ToUInt32(identity.Address.Value[^8..], 16) % (uint)options.Silos.Count);
        var failures = 0;
        for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
        {
            var silo = AgentOptions.NodeLinkUri(options.Silos[(first + attempt) % options.Silos.Count]);
            var session = new NodeLinkSession(backend, identity, options, clock, logger);
            _session = session;
            try
            {
                await session.RunAsync(silo, OnWelcomed, cancellationToken);
                failures = session.WasWelcomed ? 0 : failures + 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures = session.WasWelcomed ? 1 : failures + 1;
                LogLinkFailed(logger, silo, ex.Message);
            }
            finally
            {
                if (_connected.Task.IsCompleted)
                {
                    _connected = NewSignal();
                }
            }

            var delay = Backoff(failures);
            LogReconnecting(logger, delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void OnWelcomed(Uri silo)
    {
        Connections++;
        Silo = silo;
        LogConnected(logger, identity.Address.Value, silo);
        _connected.TrySetResult();
    }

    /// <summary>0 failures: reconnect at once (a clean close, e.g. a drain); then doubling, with jitter so a fleet spreads out.</summary>
    private TimeSpan Backoff(int failures)
    {
        if (failures == 0)
        {
            return TimeSpan.FromMilliseconds(50);
        }

        var ceiling = Math.Min(options.MaxReconnectDelay.TotalMilliseconds, options.MinReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(4001, LogLevel.Information, "Node {Address} connected to {Silo}")]
    private static partial void LogConnected(ILogger logger, string address, Uri silo);

    [LoggerMessage(4002, LogLevel.Warning, "Link to {Silo} failed: {Reason}")]
    private static partial void LogLinkFailed(ILogger logger, Uri silo, string reason);

    [LoggerMessage(4003, LogLevel.Debug, "Reconnecting in {DelayMs:F0} ms")]
    private static partial void LogReconnecting(ILogger logger, double delayMs);
}
