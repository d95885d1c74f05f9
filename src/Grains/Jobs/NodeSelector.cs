using Infera.Nodes;

namespace Infera.Jobs;

/// <summary>
/// The scheduling policy ("Flow Harmonizer"): ranks candidate nodes for a job by reputation and free capacity, and
/// orders them so that the first <c>k</c> come from distinct operators and subnets wherever the pool allows.
/// </summary>
public static class NodeSelector
{
    /// <summary>Candidates in the order the job should try to reserve them.</summary>
    public static List<NodeGrain> Rank(
        IReadOnlyList<NodeGrain> candidates, int wanted, ISet<string> usedOperators, ISet<string> usedSubnets, Random random, DateTimeOffset now)
    {
        var scored = new List<(NodeGrain Node, double Score)>(candidates.Count);
        foreach (var node in candidates)
        {
            if (!node.Trust.IsRoutable(now))
            {
                continue; // ejected, or cooling off after an offence
            }

            var free = 1.0 - ((double)node.ActiveAssignments / node.MaxConcurrency);
            if (free <= 0)
            {
                continue;
            }

            // Equal weight to trust and headroom; the jitter spreads ties so equal nodes share the load.
            var score = (0.5 * node.Reputation / 100.0) + (0.5 * free) + (0.05 * random.NextDouble());
            scored.Add((node, score));
        }

        scored.Sort((a, b) => b.Score.CompareTo(a.Score));

        var ordered = new List<NodeGrain>(scored.Count);
        var operators = new HashSet<string>(usedOperators, StringComparer.Ordinal);
        var subnets = new HashSet<string>(usedSubnets, StringComparer.Ordinal);
        var deferred = new List<NodeGrain>();

        // First pass: the best node of each not-yet-used operator and subnet, until enough are found.
        foreach (var (node, _) in scored)
        {
            var diverse = !operators.Contains(node.Operator) && (node.Subnet is null || !subnets.Contains(node.Subnet));
            if (diverse && ordered.Count < wanted)
            {
                ordered.Add(node);
                operators.Add(node.Operator);
                if (node.Subnet is not null)
                {
                    subnets.Add(node.Subnet);
                }
            }
            else
            {
                deferred.Add(node);
            }
        }

        // Then the rest, best first: a small network still gets its replicas, from shared operators or subnets.
        ordered.AddRange(deferred);
        return ordered;
    }
}
