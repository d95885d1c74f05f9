using System.Globalization;
using System.Numerics.Tensors;
using Infera.Jobs;

namespace Infera.Verification;

/// <summary>
/// A stateless worker that judges a job's outputs:
/// <list type="number">
/// <item>embeds them and compares every pair by cosine similarity; two replicas whose backends honour the shared seed
/// are also compared token by token, and an exact common prefix counts as agreement however short the text;</item>
/// <item>finds the largest group that all agree with each other: a strict majority verifies the job, its members
/// agree and the rest disagree; without one the job is unverified and every node undecided;</item>
/// <item>demotes a member whose output stopped far short of the group's (a node that saves compute by stopping
/// early);</item>
/// <item>flags an output that copies an agreed answer to a different prompt (a replay): hard evidence, so it
/// disagrees even when there is no majority or nothing to compare with.</item>
/// </list>
/// </summary>
public sealed class VerifierGrain(IEmbedder embedder, VerificationOptions options, ReplayIndex? replays = null)
{
    // Exhaustive search over subsets is exact and cheap for the handful of outputs a job has.
    private const int MaxOutputs = 16;
    private readonly ReplayIndex _replays = replays ?? new ReplayIndex();

    public string Method => embedder.Method;

    public double Threshold => options.Threshold;

    public Task<VerificationResult> VerifyAsync(IReadOnlyList<VerificationInput> outputs, CancellationToken cancellationToken) =>
        VerifyAsync(outputs, context: null, cancellationToken);

    public async Task<VerificationResult> VerifyAsync(IReadOnlyList<VerificationInput> outputs, VerificationContext? context, CancellationToken cancellationToken)
    {
        if (outputs.Count > MaxOutputs)
        {
            throw new ArgumentOutOfRangeException(nameof(outputs), $"At most {MaxOutputs} outputs per job.");
        }

        var n = outputs.Count;
        var words = outputs.Select(o => TextFingerprint.Tokenize(o.Output)).ToArray();
        var similarity = await SimilaritiesAsync(outputs, words, cancellationToken);
        var similarities = new List<SimilarityView>(n * (n - 1) / 2);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                similarities.Add(new SimilarityView(outputs[i].AssignmentId, outputs[j].AssignmentId, Math.Round(similarity[i, j], 4)));
            }
        }

        var group = LargestAgreeingGroup(similarity, n, options.Threshold);
        var reasons = new string?[n];
        DemoteTruncated(outputs, words, group, n, reasons);

        var replayed = new bool[n];
        var fingerprints = context is null ? null : outputs.Select(o => TextFingerprint.Of(o.Output)).ToArray();
        if (context is not null)
        {
            for (var i = 0; i < n; i++)
            {
                if (_replays.FindReplay(context.Model, context.PromptKey, fingerprints![i]) is { } source)
                {
                    replayed[i] = true;
                    group.Remove(i);
                    reasons[i] = $"replays the answer to another prompt (job {source})";
                }
            }
        }

        var verified = n >= 2 && group.Count * 2 > n;
        var verdicts = new List<VerdictView>(n);
        for (var i = 0; i < n; i++)
        {
            var peers = verified ? group.Where(g => g != i).ToList() : [.. Enumerable.Range(0, n).Where(g => g != i)];
            var score = peers.Count == 0 ? 0 : Math.Round(peers.Average(p => similarity[i, p]), 4);
            var verdict = replayed[i] ? Verdicts.Disagree : !verified ? Verdicts.Undecided : group.Contains(i) ? Verdicts.Agree : Verdicts.Disagree;
            var reason = reasons[i] ?? verdict switch
            {
                Verdicts.Disagree => string.Create(CultureInfo.InvariantCulture, $"similarity {score:F2} to the agreeing outputs is below the threshold {options.Threshold}"),
                Verdicts.Agree => string.Create(CultureInfo.InvariantCulture, $"agrees with {group.Count - 1} other output(s), similarity {score:F2}"),
                _ => n < 2 ? "nothing to compare with" : "no majority of outputs agreed",
            };
            verdicts.Add(new VerdictView(outputs[i].Node, outputs[i].AssignmentId, verdict, score, reason));
        }

        if (verified && context is not null)
        {
            _replays.Add(context.Model, context.PromptKey, context.JobId, fingerprints![group[0]]);
        }

        return new VerificationResult(verified, verdicts, similarities, group.Select(i => outputs[i].AssignmentId).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>A canary: one node's output against an answer known to be right for the same prompt and seed.</summary>
    public async Task<VerdictView> VerifyAgainstReferenceAsync(string reference, VerificationInput output, VerificationContext context, CancellationToken cancellationToken)
    {
        var result = await VerifyAsync([new VerificationInput("reference", "reference", reference, output.Seeded, "stop"), output], cancellationToken);
        var score = result.Similarities[0].Similarity;
        var truncated = output.FinishReason != "length"
            && TextFingerprint.Tokenize(output.Output).Count < options.TruncationRatio * TextFingerprint.Tokenize(reference).Count;
        var replay = _replays.FindReplay(context.Model, context.PromptKey, TextFingerprint.Of(output.Output));
        var (verdict, reason) = replay is not null ? (Verdicts.Disagree, $"replays the answer to another prompt (job {replay})")
            : truncated ? (Verdicts.Disagree, "output cut short against the known answer")
            : score >= options.Threshold ? (Verdicts.Agree, string.Create(CultureInfo.InvariantCulture, $"matches the known answer, similarity {score:F2}"))
            : (Verdicts.Disagree, string.Create(CultureInfo.InvariantCulture, $"similarity {score:F2} to the known answer is below the threshold {options.Threshold}"));
        return new VerdictView(output.Node, output.AssignmentId, verdict, score, reason);
    }

    private async Task<double[,]> SimilaritiesAsync(IReadOnlyList<VerificationInput> outputs, List<string>[] words, CancellationToken cancellationToken)
    {
        var n = outputs.Count;
        var vectors = await embedder.EmbedAsync([.. outputs.Select(o => o.Output)], cancellationToken);
        var similarity = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            similarity[i, i] = 1;
            for (var j = i + 1; j < n; j++)
            {
                var s = Cosine(vectors[i], vectors[j]);
                if (outputs[i].Seeded && outputs[j].Seeded)
                {
                    s = Math.Max(s, TokenMatch(words[i], words[j]));
                }

                similarity[i, j] = similarity[j, i] = s;
            }
        }

        return similarity;
    }

    /// <summary>Removes from the group members that stopped far shorter than its median, if a majority remains.</summary>
    private void DemoteTruncated(IReadOnlyList<VerificationInput> outputs, List<string>[] words, List<int> group, int n, string?[] reasons)
    {
        if (group.Count < 2)
        {
            return;
        }

        var lengths = group.Select(i => words[i].Count).Order().ToList();
        var median = lengths[lengths.Count / 2];
        var truncated = group.Where(i => outputs[i].FinishReason != "length" && words[i].Count < options.TruncationRatio * median).ToList();
        if (truncated.Count == 0 || (group.Count - truncated.Count) * 2 <= n)
        {
            return;
        }

        foreach (var i in truncated)
        {
            group.Remove(i);
            reasons[i] = $"output cut short: {words[i].Count} words where the agreeing outputs have {median}";
        }
    }

    /// <summary>Shared prefix of two seeded token streams as a share of the longer: 1 for identical streams.</summary>
    private static double TokenMatch(List<string> a, List<string> b)
    {
        var longest = Math.Max(a.Count, b.Count);
        if (longest == 0)
        {
            return 1;
        }

        var common = 0;
        while (common < a.Count && common < b.Count && string.Equals(a[common], b[common], StringComparison.Ordinal))
        {
            common++;
        }

        return (double)common / longest;
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
            if (int.PopCount(mask) > int.PopCount(bestMask) && AllAgree(mask, similarity, n, threshold))
            {
                bestMask = mask;
            }
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

/// <summary>One output to judge. <see cref="Seeded"/>: its backend honoured the job's seed, so token streams compare.</summary>
public sealed record VerificationInput(string AssignmentId, string Node, string Output, bool Seeded = false, string? FinishReason = null);

/// <summary>What the outputs answer: the model and the prompt (as a key), for replay detection.</summary>
public sealed record VerificationContext(string Model, string PromptKey, string JobId);

public sealed record VerificationResult(
    bool Verified,
    IReadOnlyList<VerdictView> Verdicts,
    IReadOnlyList<SimilarityView> Similarities,
    IReadOnlySet<string> AgreeingAssignments);
