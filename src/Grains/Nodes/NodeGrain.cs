using System.Collections.Concurrent;
using Infera.Identity;
using Infera.NodeLink;
using Infera.Trust;

namespace Infera.Nodes;

/// <summary>
/// One connected agent: identity, offer, load and liveness, and the assignments it is running.
/// State changes happen under <see cref="_turn"/>, one at a time; readers take immutable values.
/// </summary>
public sealed class NodeGrain
{
    private readonly Lock _turn = new();
    // Under _turn, and created by the first reservation: most of a silo's nodes are idle at any time, and an eager
    // ConcurrentDictionary would cost each ~600 bytes (more on more cores: it takes a lock per core) for nothing.
    private Dictionary<string, (IAssignmentSink Sink, long Order)>? _assignments;
    private long _reservations;
    private readonly INodeConnection _connection;
    private readonly TimeProvider _clock;
    private HashSet<string> _models;
    private int _reserved;
    private NodeStatus _status = NodeStatus.Online;

    public NodeGrain(NodeAddress address, Hello hello, INodeConnection connection, TimeProvider clock, NodeTrust trust, NodeHistory? history = null)
    {
        Address = address;
        // Kept without its signature (128 hex digits that proved the address for one nonce and are of no further use)
        // and with the address's one string rather than a second copy: a silo holds a hello per node.
        Hello = hello with { Address = address.Value, Signature = string.Empty };
        Backend = hello.Backend;
        Hardware = hello.Hardware;
        MaxConcurrency = Math.Max(1, hello.MaxConcurrency);
        Offer = hello.Models;
        _models = hello.Models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        _connection = connection;
        _clock = clock;
        Trust = trust;
        // A node no operator has linked is its own operator. The silo checks the link before it builds the grain.
        Operator = hello.Operator is { } linked && NodeAddress.TryParse(linked, out var account) ? account.Value : address.Value;
        Subnet = SubnetOf(connection.RemoteAddress);
        ConnectedAt = LastHeartbeat = clock.GetUtcNow();
        History = history ?? new NodeHistory(ConnectedAt, TimeSpan.Zero);
    }

    public NodeAddress Address { get; }

    /// <summary>The hello the node connected with (its offer then; <see cref="Offer"/> is its offer now).</summary>
    public Hello Hello { get; }

    /// <summary>The remote IP address the node dials from, when known.</summary>
    public string? RemoteAddress => _connection.RemoteAddress;

    public string Backend { get; }

    public HardwareInfo Hardware { get; }

    public int MaxConcurrency { get; }

    /// <summary>Who runs the node; replicas of one job prefer distinct operators.</summary>
    public string Operator { get; }

    /// <summary>The /24 (IPv4) or /48 (IPv6) the node dials from; replicas prefer distinct subnets.</summary>
    public string? Subnet { get; }

    public DateTimeOffset ConnectedAt { get; }

    public DateTimeOffset LastHeartbeat { get; private set; }

    public IReadOnlyList<ModelOffer> Offer { get; private set; }

    /// <summary>The node's standing as last recorded; jobs update it after settling.</summary>
    public NodeTrust Trust { get; set; }

    public double Reputation => Trust.Reputation;

    /// <summary>When the node was first seen and how long it was online before this connection.</summary>
    public NodeHistory History { get; }

    /// <summary>Whether the scheduler may give the node work now (not ejected, not cooling off).</summary>
    public bool IsRoutable(DateTimeOffset now) => _status == NodeStatus.Online && Trust.IsRoutable(now);

    /// <summary>The share of the node's life it has been online, this connection included.</summary>
    public double UptimeAt(DateTimeOffset now)
    {
        var lifetime = now - History.FirstSeen;
        return lifetime <= TimeSpan.Zero ? 1 : Math.Clamp((History.OnlineBefore + (now - ConnectedAt)) / lifetime, 0, 1);
    }

    public NodeStatus Status => _status;

    public int ActiveAssignments => Volatile.Read(ref _reserved);

    public bool Serves(string model) => _models.Contains(model);

    /// <summary>Takes a slot for an assignment if the node is online, serves the model and has room.</summary>
    public bool TryReserve(string model, string assignmentId, IAssignmentSink sink)
    {
        lock (_turn)
        {
            if (_status != NodeStatus.Online || _reserved >= MaxConcurrency || !_models.Contains(model))
            {
                return false;
            }

            _reserved++;
            (_assignments ??= new(StringComparer.Ordinal))[assignmentId] = (sink, ++_reservations);
            return true;
        }
    }

    /// <summary>Frees the assignment's slot; later reports for it are ignored.</summary>
    public void Release(string assignmentId)
    {
        lock (_turn)
        {
            if (_assignments is not null && _assignments.Remove(assignmentId))
            {
                _reserved--;
            }
        }
    }

    public ValueTask SendAsync(NodeLinkMessage message, CancellationToken cancellationToken) =>
        _connection.SendAsync(message, cancellationToken);

    /// <summary>Records liveness; true when the heartbeat changed the node's offer (the registry must re-file it).</summary>
    public bool OnHeartbeat(Heartbeat heartbeat)
    {
        lock (_turn)
        {
            LastHeartbeat = _clock.GetUtcNow();
            if (heartbeat.Models is not { } models || models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal).SetEquals(_models))
            {
                return false;
            }

            Offer = models;
            _models = models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            return true;
        }
    }

    /// <summary>Routes a report from the agent to the job that owns the assignment.</summary>
    public void OnReport(NodeLinkMessage message)
    {
        switch (message)
        {
            case TokenChunk token when SinkOf(token.AssignmentId) is { } sink:
                sink.OnToken(token.Text);
                break;
            case AssignmentResult result when SinkOf(result.AssignmentId) is { } sink:
                sink.OnResult(result);
                break;
            case AssignmentFailed failed when SinkOf(failed.AssignmentId) is { } sink:
                sink.OnFailed(failed.Error);
                break;
        }
    }

    private IAssignmentSink? SinkOf(string assignmentId)
    {
        lock (_turn)
        {
            return _assignments is not null && _assignments.TryGetValue(assignmentId, out var entry) ? entry.Sink : null;
        }
    }

    public bool IsStale(DateTimeOffset now, TimeSpan timeout) => now - LastHeartbeat > timeout;

    /// <summary>Stops new work; running assignments go on.</summary>
    public void Drain()
    {
        lock (_turn)
        {
            if (_status == NodeStatus.Online)
            {
                _status = NodeStatus.Draining;
            }
        }
    }

    /// <summary>The node is gone: every running assignment fails with the reason, and the link is closed.</summary>
    public void GoOffline(string reason)
    {
        IAssignmentSink[] orphaned;
        lock (_turn)
        {
            if (_status == NodeStatus.Offline)
            {
                return;
            }

            _status = NodeStatus.Offline;
            // In the order they were given: what the jobs do next (replacements) must not depend on hashing.
            orphaned = _assignments is null ? [] : [.. _assignments.Values.OrderBy(a => a.Order).Select(a => a.Sink)];
            _assignments?.Clear();
            _reserved = 0;
        }

        foreach (var sink in orphaned)
        {
            sink.OnFailed(reason);
        }

        _connection.Abort(reason);
    }

    internal static string? SubnetOf(string? ip)
    {
        if (ip is null || !System.Net.IPAddress.TryParse(ip, out var parsed))
        {
            return null;
        }

        if (parsed.IsIPv4MappedToIPv6)
        {
            parsed = parsed.MapToIPv4();
        }

        var bytes = parsed.GetAddressBytes();
        return bytes.Length == 4
            ? $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24"
            : Convert.ToHexStringLower(bytes.AsSpan(0, 6)) + "::/48";
    }
}

/// <summary>What the store remembers of a node from before this connection.</summary>
public sealed record NodeHistory(DateTimeOffset FirstSeen, TimeSpan OnlineBefore);

public enum NodeStatus
{
    Online,
    Draining,
    Offline,
}
