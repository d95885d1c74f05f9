using Infera.Nodes;

namespace Infera.Jobs;

/// <summary>
/// The scheduling policy ("Flow Harmonizer"). Nodes are drawn by weighted random sampling, the weight being free
/// capacity × (0.2 + reputation / 100): load spreads over the whole network, trusted nodes get more of it, and new or
/// doubted nodes still get enough work to earn trust, or to be caught. The order is then adjusted so that the first
/// <c>k</c> come from distinct operators and subnets wherever the pool allows. The job makes the most reputable node
/// it reserved the primary.
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

            // Efraimidis–Spirakis: sorting by u^(1/w) draws a weighted sample without replacement in one pass.
            var weight = free * (0.2 + (Math.Clamp(node.Reputation, 0, 100) / 100));
            var score = Math.Pow(random.NextDouble(), 1 / weight);
            scored.Add((node, score));
        }

        scored.Sort((a, b) => b.Score.CompareTo(a.Score));

        var ordered = new List<NodeGrain>(scored.Count);
        var operators = new HashSet<string>(usedOperators, StringComparer.Ordinal);
        var subnets = new HashSet<string>(usedSubnets, StringComparer.Ordinal);
        var deferred = new List<NodeGrain>();

        // First pass: the best node of each not-yet-used operator and subnet, until enough are found. After that the
        // rest keep their draw order, and their operator and subnet strings (cold in a large pool) are not read.
        foreach (var (node, _) in scored)
        {
            if (ordered.Count < wanted && IsDiverse(node, operators, subnets))
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

    private static bool IsDiverse(NodeGrain node, HashSet<string> operators, HashSet<string> subnets) =>
        !operators.Contains(node.Operator) && (node.Subnet is null || !subnets.Contains(node.Subnet));
}
