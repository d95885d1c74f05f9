using System.Globalization;
using System.Numerics.Tensors;
using Infera.Jobs;

namespace Infera.Verification;

/// <summary>
/// A stateless worker that judges a job's outputs:
/// <list type="number">
/// <item>embeds them and compares every pair by cosine similarity; two replicas whose backends honour the shared seed
/// are also compared token by token, and an identical stream agrees however short the text;</item>
/// <item>marks hard evidence, which disagrees whatever the vote: an output cut short (it begins another output that
/// went on longer) and a replay (it copies the agreed answer to a different prompt);</item>
/// <item>finds the consensus among the rest (see <c>Consensus</c>): its members agree, the others disagree; without
/// one the job is unverified and every node undecided, so nobody is punished for an ambiguous job.</item>
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

        var reasons = new string?[n];
        var evidence = new bool[n]; // hard evidence of cheating: disagrees whatever the vote
        MarkCutShort(outputs, words, reasons, evidence);
        var fingerprints = context is null ? null : words.Select(TextFingerprint.Of).ToArray();
        if (context is not null)
        {
            for (var i = 0; i < n; i++)
            {
                if (_replays.FindReplay(context.Model, context.PromptKey, fingerprints![i]) is { } source)
                {
                    evidence[i] = true;
                    reasons[i] = $"replays the answer to another prompt (job {source})";
                }
            }
        }

        var group = Consensus(outputs, similarity, evidence, out var contested);
        var verified = group.Count >= 2 && !contested;
        var verdicts = new List<VerdictView>(n);
        for (var i = 0; i < n; i++)
        {
            var peers = verified ? group.Where(g => g != i).ToList() : [.. Enumerable.Range(0, n).Where(g => g != i)];
            var score = peers.Count == 0 ? 0 : Math.Round(peers.Average(p => similarity[i, p]), 4);
            var verdict = evidence[i] ? Verdicts.Disagree : !verified ? Verdicts.Undecided : group.Contains(i) ? Verdicts.Agree : Verdicts.Disagree;
            var reason = reasons[i] ?? verdict switch
            {
                Verdicts.Disagree => Disagreement(similarity, i, peers, score),
                Verdicts.Agree => string.Create(CultureInfo.InvariantCulture, $"agrees with {group.Count - 1} other output(s), similarity {score:F2}"),
                _ => n < 2 ? "nothing to compare with" : contested ? "only new nodes agreed, and others disagreed: not enough trust to judge" : "no majority of outputs agreed",
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

    /// <summary>Why an output was left out of the agreeing group: one pair under the threshold is enough.</summary>
    private string Disagreement(double[,] similarity, int i, List<int> peers, double mean)
    {
        var weakest = peers.Count == 0 ? mean : peers.Min(p => similarity[i, p]);
        return weakest < options.Threshold && mean >= options.Threshold
            ? string.Create(CultureInfo.InvariantCulture, $"similarity {weakest:F2} to one of the agreeing outputs is below the threshold {options.Threshold} ({mean:F2} on average)")
            : string.Create(CultureInfo.InvariantCulture, $"similarity {mean:F2} to the agreeing outputs is below the threshold {options.Threshold}");
    }

    /// <summary>
    /// Marks outputs that stopped by themselves while another output of the job began with the same words and went on
    /// well past them: a node saving compute by stopping early. Positions are compared word by word, so honest replicas
    /// that merely sampled differently do not match as prefixes.
    /// </summary>
    private void MarkCutShort(IReadOnlyList<VerificationInput> outputs, List<string>[] words, string?[] reasons, bool[] evidence)
    {
        for (var i = 0; i < outputs.Count; i++)
        {
            if (outputs[i].FinishReason == "length" || words[i].Count == 0)
            {
                continue;
            }

            for (var j = 0; j < outputs.Count; j++)
            {
                if (j != i && words[i].Count < options.TruncationRatio * words[j].Count && PrefixMatch(words[i], words[j]) >= 0.8)
                {
                    evidence[i] = true;
                    reasons[i] = $"output cut short: it stops after {words[i].Count} words of an answer that another node continued to {words[j].Count}";
                    break;
                }
            }
        }
    }

    /// <summary>Share of <paramref name="shorter"/>'s words found at the same positions in <paramref name="longer"/>.</summary>
    private static double PrefixMatch(List<string> shorter, List<string> longer)
    {
        var same = 0;
        for (var k = 0; k < shorter.Count; k++)
        {
            same += string.Equals(shorter[k], longer[k], StringComparison.Ordinal) ? 1 : 0;
        }

        return (double)same / shorter.Count;
    }

    /// <summary>
    /// The agreeing group: around each output, those at least <see cref="VerificationOptions.Threshold"/> similar to it
    /// (a star, so one weak pair of honest outputs does not split them); the group of most trust-weight wins. It
    /// verifies only with a strict majority of the weight of all judged outputs; and when others disagree, a pair of
    /// new nodes alone is <paramref name="contested"/>: not enough to condemn the dissenters (the job escalates).
    /// </summary>
    private List<int> Consensus(IReadOnlyList<VerificationInput> outputs, double[,] similarity, bool[] evidence, out bool contested)
    {
        var n = outputs.Count;
        var judged = Enumerable.Range(0, n).Where(i => !evidence[i]).ToList();
        var best = new List<int>();
        double bestWeight = -1, bestSimilarity = -1;
        foreach (var center in judged)
        {
            var members = judged.Where(i => similarity[i, center] >= options.Threshold).ToList();
            var weight = members.Sum(i => outputs[i].Weight);
            var mean = members.Average(i => similarity[i, center]);
            if (weight > bestWeight + 1e-9 || (Math.Abs(weight - bestWeight) <= 1e-9 && (members.Count > best.Count || (members.Count == best.Count && mean > bestSimilarity))))
            {
                (best, bestWeight, bestSimilarity) = (members, weight, mean);
            }
        }

        var total = judged.Sum(i => outputs[i].Weight);
        var dissent = judged.Count > best.Count;
        // Two new nodes agreeing against one are no proof (they may be one cheater twice); three or more are, and so is
        // any group an established node belongs to.
        contested = best.Count < 2 || bestWeight * 2 <= total || (dissent && best.Count < 3 && !best.Any(i => outputs[i].Established));
        return best;
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

}

/// <summary>
/// One output to judge. <see cref="Seeded"/>: its backend honoured the job's seed, so token streams compare.
/// <see cref="Weight"/>: the node's say in the vote (its trust); <see cref="Established"/>: the node has a record.
/// </summary>
public sealed record VerificationInput(
    string AssignmentId, string Node, string Output, bool Seeded = false, string? FinishReason = null, double Weight = 1, bool Established = true);

/// <summary>What the outputs answer: the model and the prompt (as a key), for replay detection.</summary>
public sealed record VerificationContext(string Model, string PromptKey, string JobId);

public sealed record VerificationResult(
    bool Verified,
    IReadOnlyList<VerdictView> Verdicts,
    IReadOnlyList<SimilarityView> Similarities,
    IReadOnlySet<string> AgreeingAssignments);
