using Infera.Storage.Postgres;
using System.Text;
using Infera.Identity;
using Infera.Messaging.RabbitMq;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Reputation;
using Microsoft.Extensions.Logging;

namespace Infera.Silo.Cluster;

/// <summary>
/// Mirrors of the nodes other silos hold, kept in this silo's <see cref="NodeRegistry"/> so its jobs schedule over the
/// whole cluster. A mirror is a <see cref="NodeGrain"/> whose link is the holding silo's queue. A node that leaves the
/// cluster's view, or moves to another silo, takes its mirror offline, which fails the assignments it ran here.
/// </summary>
public sealed partial class RemoteNodes(
    NodeRegistry registry,
    ReputationGrains reputation,
    RabbitMqBus bus,
    TimeProvider clock,
    ILogger<RemoteNodes> logger)
{
    private readonly Dictionary<NodeAddress, (NodeGrain Mirror, string Silo)> _mirrors = [];
    private readonly Lock _lock = new();

    /// <summary>The node's grain when this silo holds its socket; null for a mirror or an unknown node.</summary>
    public NodeGrain? Local(string address)
    {
        if (!NodeAddress.TryParse(address, out var parsed) || !registry.TryGet(parsed, out var node))
        {
            return null;
        }

        lock (_lock)
        {
            return _mirrors.TryGetValue(parsed, out var mirror) && mirror.Mirror == node ? null : node;
        }
    }

    /// <summary>The mirror of a node another silo holds, or null.</summary>
    public NodeGrain? Mirror(string address)
    {
        lock (_lock)
        {
            return NodeAddress.TryParse(address, out var parsed) && _mirrors.TryGetValue(parsed, out var mirror) ? mirror.Mirror : null;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _mirrors.Count;
            }
        }
    }

    /// <summary>The nodes this silo holds, as the cluster should see them.</summary>
    public IReadOnlyList<NodePresence> LocalPresence()
    {
        var local = new List<NodePresence>();
        foreach (var node in registry.Nodes)
        {
            if (node.Status != NodeStatus.Offline && Local(node.Address.Value) == node)
            {
                var hello = node.Hello with { Models = node.Offer, Signature = string.Empty };
                local.Add(new NodePresence(node.Address.Value, Encoding.UTF8.GetString(NodeLinkProtocol.Serialize(hello)), node.RemoteAddress));
            }
        }

        return local;
    }

    /// <summary>Brings the mirrors in line with the nodes other live silos hold now.</summary>
    public async Task ReconcileAsync(IReadOnlyList<RemoteNodePresence> live, string ownQueue, CancellationToken cancellationToken)
    {
        var seen = new HashSet<NodeAddress>();
        foreach (var presence in live)
        {
            if (!NodeAddress.TryParse(presence.Address, out var address) || !seen.Add(address))
            {
                continue;
            }

            if (Local(presence.Address) is not null
                || (presence.Draining && !IsMirrored(address))
                || NodeLinkProtocol.Deserialize(Encoding.UTF8.GetBytes(presence.Hello)) is not Hello hello)
            {
                continue; // this silo holds the socket now (the other silo's row is about to go), or the row is unreadable
            }

            NodeGrain? existing;
            lock (_lock)
            {
                existing = _mirrors.TryGetValue(address, out var current) && current.Silo == presence.SiloId && current.Mirror.Status != NodeStatus.Offline
                    ? current.Mirror
                    : null;
            }

            if (existing is not null && presence.Draining)
            {
                existing.Drain(); // its assignments here run on; it gets no new ones
                continue;
            }

            if (existing is not null)
            {
                // The holder's heartbeat stands for the node's: it keeps the mirror live and its offer current.
                if (existing.OnHeartbeat(new Heartbeat(0, hello.Models)))
                {
                    registry.Refile(existing);
                }

                continue;
            }

            var trust = await reputation.Get(address.Value).GetAsync(cancellationToken);
            var connection = new RemoteNodeConnection(bus, presence.SiloQueue, ownQueue, address.Value, presence.RemoteAddress);
            var mirror = new NodeGrain(address, hello, connection, clock, trust);
            NodeGrain? replaced;
            lock (_lock)
            {
                replaced = registry.Add(mirror);
                _mirrors[address] = (mirror, presence.SiloId);
            }

            replaced?.GoOffline($"the node moved to silo {presence.SiloId}");
            LogMirrorAdded(logger, address.Value, presence.SiloId);
        }

        List<(NodeGrain Mirror, string Silo)> gone;
        lock (_lock)
        {
            gone = [.. _mirrors.Where(m => !seen.Contains(m.Key)).Select(m => m.Value)];
            foreach (var mirror in gone)
            {
                _mirrors.Remove(mirror.Mirror.Address);
            }
        }

        foreach (var (mirror, silo) in gone)
        {
            registry.Remove(mirror);
            mirror.GoOffline($"the node left silo {silo} (the node disconnected or the silo is gone)");
            LogMirrorRemoved(logger, mirror.Address.Value, silo);
        }
    }

    private bool IsMirrored(NodeAddress address)
    {
        lock (_lock)
        {
            return _mirrors.ContainsKey(address);
        }
    }

    /// <summary>Forgets a mirror that a local connection of the same node replaced.</summary>
    public void Forget(NodeGrain node)
    {
        lock (_lock)
        {
            if (_mirrors.TryGetValue(node.Address, out var mirror) && mirror.Mirror == node)
            {
                _mirrors.Remove(node.Address);
            }
        }
    }

    [LoggerMessage(6101, LogLevel.Debug, "Node {Address} is scheduled here through silo {Silo}")]
    private static partial void LogMirrorAdded(ILogger logger, string address, string silo);

    [LoggerMessage(6102, LogLevel.Information, "Node {Address} left silo {Silo}; its assignments here fail over")]
    private static partial void LogMirrorRemoved(ILogger logger, string address, string silo);
}
