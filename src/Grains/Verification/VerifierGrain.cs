using System.Numerics.Tensors;
using Infera.Jobs;

namespace Infera.Verification;

/// <summary>
/// A stateless worker: embeds a job's outputs, compares every pair, and finds the largest group that all agree with
/// each other. A strict majority in that group verifies the job: its members agree, the rest disagree. Without a
/// majority the job is unverified and every node is undecided, so nobody is punished for an ambiguous job.
/// </summary>
public sealed class VerifierGrain(IEmbedder embedder, VerificationOptions options)
{
    // Exhaustive search over subsets is exact and cheap for the handful of outputs a job has.
    private const int MaxOutputs = 16;

    public string Method => embedder.Method;

    public double Threshold => options.Threshold;

    public async Task<VerificationResult> VerifyAsync(IReadOnlyList<VerificationInput> outputs, CancellationToken cancellationToken)
    {
        if (outputs.Count > MaxOutputs)
        {
            throw new ArgumentOutOfRangeException(nameof(outputs), $"At most {MaxOutputs} outputs per job.");
        }

        var vectors = await embedder.EmbedAsync([.. outputs.Select(o => o.Output)], cancellationToken);
        var n = outputs.Count;
        var similarity = new double[n, n];
        var similarities = new List<SimilarityView>(n * (n - 1) / 2);
        for (var i = 0; i < n; i++)
        {
            similarity[i, i] = 1;
            for (var j = i + 1; j < n; j++)
            {
                var s = Cosine(vectors[i], vectors[j]);
                similarity[i, j] = similarity[j, i] = s;
                similarities.Add(new SimilarityView(outputs[i].AssignmentId, outputs[j].AssignmentId, Math.Round(s, 4)));
            }
        }

        var group = LargestAgreeingGroup(similarity, n, options.Threshold);
        var verified = n >= 2 && group.Count * 2 > n;
        var verdicts = new List<VerdictView>(n);
        for (var i = 0; i < n; i++)
        {
            var inGroup = group.Contains(i);
            var peers = verified ? group.Where(g => g != i).ToList() : [.. Enumerable.Range(0, n).Where(g => g != i)];
            var score = peers.Count == 0 ? 0 : peers.Average(p => similarity[i, p]);
            var verdict = !verified ? Verdicts.Undecided : inGroup ? Verdicts.Agree : Verdicts.Disagree;
            verdicts.Add(new VerdictView(outputs[i].Node, outputs[i].AssignmentId, verdict, Math.Round(score, 4)));
        }

        return new VerificationResult(verified, verdicts, similarities, group.Select(i => outputs[i].AssignmentId).ToHashSet(StringComparer.Ordinal));
    }

    private static double Cosine(float[] a, float[] b)
    {
        var s = TensorPrimitives.CosineSimilarity(a, b);
        return float.IsNaN(s) ? 0 : Math.Clamp(s, -1, 1); // an empty output has a zero vector
    }

    private static List<int> LargestAgreeingGroup(double[,] similarity, int n, double threshold)
    {
        var best = new List<int>();
        if (n == 0)
        {
            return best;
        }

        var bestMask = 1;
        for (var mask = 1; mask < 1 << n; mask++)
        {
            var size = int.PopCount(mask);
            if (size <= int.PopCount(bestMask) || !AllAgree(mask, similarity, n, threshold))
            {
                continue;
            }

            bestMask = mask;
        }

        for (var i = 0; i < n; i++)
        {
            if ((bestMask & (1 << i)) != 0)
            {
                best.Add(i);
            }
        }

        return best;
    }

    private static bool AllAgree(int mask, double[,] similarity, int n, double threshold)
    {
        for (var i = 0; i < n; i++)
        {
            if ((mask & (1 << i)) == 0)
            {
                continue;
            }

            for (var j = i + 1; j < n; j++)
            {
                if ((mask & (1 << j)) != 0 && similarity[i, j] < threshold)
                {
                    return false;
                }
            }
        }

        return true;
    }
}

public sealed record VerificationInput(string AssignmentId, string Node, string Output);

public sealed record VerificationResult(
    bool Verified,
    IReadOnlyList<VerdictView> Verdicts,
    IReadOnlyList<SimilarityView> Similarities,
    IReadOnlySet<string> AgreeingAssignments);
