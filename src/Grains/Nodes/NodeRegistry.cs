using System.Collections.Concurrent;
using Infera.Identity;
using Infera.Jobs;

namespace Infera.Nodes;

/// <summary>The nodes connected to this silo, by address. A node that connects again replaces its old link.</summary>
public sealed class NodeRegistry
{
    private readonly ConcurrentDictionary<NodeAddress, NodeGrain> _nodes = new();

    public int Count => _nodes.Count;

    public IEnumerable<NodeGrain> Nodes => _nodes.Values;

    public bool TryGet(NodeAddress address, out NodeGrain? node) => _nodes.TryGetValue(address, out node);

    /// <summary>Adds the node; returns the link it replaced, which the caller takes offline.</summary>
    public NodeGrain? Add(NodeGrain node)
    {
        NodeGrain? replaced = null;
        _nodes.AddOrUpdate(node.Address, node, (_, old) =>
        {
            replaced = old;
            return node;
        });
        return replaced;
    }

    /// <summary>Removes the node if this very link is still the registered one.</summary>
    public bool Remove(NodeGrain node) =>
        _nodes.TryRemove(new KeyValuePair<NodeAddress, NodeGrain>(node.Address, node));

    /// <summary>
    /// The live nodes serving <paramref name="model"/>, whatever their load, in address order: the dictionary's own
    /// order follows string hashes, which .NET randomises per process, so a seeded scheduler would not repeat itself.
    /// </summary>
    public List<NodeGrain> Serving(string model) =>
        [.. _nodes.Values.Where(n => n.Status == NodeStatus.Online && n.Serves(model)).OrderBy(n => n.Address.Value, StringComparer.Ordinal)];

    public IReadOnlyList<ModelListing> ListModels()
    {
        var models = new Dictionary<string, (bool Simulated, int Nodes)>(StringComparer.Ordinal);
        foreach (var node in _nodes.Values)
        {
            if (node.Status != NodeStatus.Online)
            {
                continue;
            }

            foreach (var offer in node.Offer)
            {
                models.TryGetValue(offer.Name, out var entry);
                models[offer.Name] = (entry.Simulated || offer.Simulated, entry.Nodes + 1);
            }
        }

        return [.. models.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new ModelListing(m.Key, m.Value.Simulated, m.Value.Nodes))];
    }
}
