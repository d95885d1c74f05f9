using System.Collections.Concurrent;
using Infera.Identity;
using Infera.Jobs;

namespace Infera.Nodes;

/// <summary>
/// The nodes connected to this silo, by address and by model. A node that connects again replaces its old link.
/// Jobs draw candidates from a model's pool by random sample, so choosing nodes costs the same with 10 nodes or 100k.
/// </summary>
public sealed class NodeRegistry
{
    private readonly ConcurrentDictionary<NodeAddress, NodeGrain> _nodes = new();
    private readonly ConcurrentDictionary<string, ModelPool> _pools = new(StringComparer.Ordinal);

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
        if (replaced is not null)
        {
            Unpool(replaced);
        }

        foreach (var offer in node.Offer)
        {
            _pools.GetOrAdd(offer.Name, _ => new ModelPool()).Add(node);
        }

        return replaced;
    }

    /// <summary>Removes the node if this very link is still the registered one.</summary>
    public bool Remove(NodeGrain node)
    {
        if (!_nodes.TryRemove(new KeyValuePair<NodeAddress, NodeGrain>(node.Address, node)))
        {
            return false;
        }

        Unpool(node);
        return true;
    }

    /// <summary>Re-files a node whose offer changed (its heartbeat said so).</summary>
    public void Refile(NodeGrain node)
    {
        Unpool(node);
        if (_nodes.TryGetValue(node.Address, out var current) && current == node)
        {
            foreach (var offer in node.Offer)
            {
                _pools.GetOrAdd(offer.Name, _ => new ModelPool()).Add(node);
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> live nodes serving <paramref name="model"/>, drawn uniformly at random; all of them
    /// when the pool is that small. The scheduler then weighs these few by capacity and reputation.
    /// </summary>
    public List<NodeGrain> Candidates(string model, int count, Random random) =>
        _pools.TryGetValue(model, out var pool) ? pool.Sample(count, random).Where(n => n.Status == NodeStatus.Online).ToList() : [];

    /// <summary>How many nodes offer <paramref name="model"/> (online or draining).</summary>
    public int PoolSize(string model) => _pools.TryGetValue(model, out var pool) ? pool.Count : 0;

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

    private void Unpool(NodeGrain node)
    {
        foreach (var pool in _pools.Values)
        {
            pool.Remove(node);
        }
    }

    /// <summary>The nodes offering one model: a list for O(1) random access, an index for O(1) removal.</summary>
    private sealed class ModelPool
    {
        private readonly Lock _lock = new();
        private readonly List<NodeGrain> _nodes = [];
        private readonly Dictionary<NodeGrain, int> _index = new(ReferenceEqualityComparer.Instance);

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _nodes.Count;
                }
            }
        }

        public void Add(NodeGrain node)
        {
            lock (_lock)
            {
                if (_index.TryAdd(node, _nodes.Count))
                {
                    _nodes.Add(node);
                }
            }
        }

        public void Remove(NodeGrain node)
        {
            lock (_lock)
            {
                if (!_index.Remove(node, out var at))
                {
                    return;
                }

                var last = _nodes[^1];
                _nodes[at] = last;
                _nodes.RemoveAt(_nodes.Count - 1);
                if (last != node)
                {
                    _index[last] = at;
                }
            }
        }

        public List<NodeGrain> Sample(int count, Random random)
        {
            lock (_lock)
            {
                if (count >= _nodes.Count)
                {
                    return [.. _nodes];
                }

                // Distinct random picks; count is small next to the pool, so retries on a repeat are rare.
                var picked = new HashSet<int>();
                var sample = new List<NodeGrain>(count);
                while (sample.Count < count)
                {
                    var i = random.Next(_nodes.Count);
                    if (picked.Add(i))
                    {
                        sample.Add(_nodes[i]);
                    }
                }

                return sample;
            }
        }
    }
}
