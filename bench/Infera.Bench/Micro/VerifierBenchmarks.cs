using BenchmarkDotNet.Attributes;
using Infera.Jobs;
using Infera.NodeAgent.Backends;
using Infera.Verification;

namespace Infera.Bench.Micro;

/// <summary>
/// Verifying one k = 3 job as a job does (with its context, so replay detection runs too): embedding three outputs of
/// about 256 tokens, comparing them pairwise, fingerprinting them. Jobs rotate over 64 distinct prompts and answers,
/// so the replay index holds a realistic mix rather than one answer.
/// </summary>
public class VerifierBenchmarks
{
    private const int Jobs = 64;
    private readonly VerifierGrain _verifier = new(new LexicalEmbedder(), new VerificationOptions());
    private readonly LexicalEmbedder _embedder = new();
    private (VerificationInput[] Outputs, VerificationContext Context)[] _jobs = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _jobs = [.. Enumerable.Range(0, Jobs).Select(i =>
        {
            var text = Text(256, seed: 1 + (i * 10));
            // Two honest replicas agree exactly; the third drifts in a few words, as sampling noise would.
            var drifted = text.Replace(" the ", " a ", StringComparison.Ordinal);
            VerificationInput[] outputs =
            [
                new($"job-{i}.1", "0xA", text, false, "length"),
                new($"job-{i}.2", "0xB", text, false, "length"),
                new($"job-{i}.3", "0xC", drifted, false, "length"),
            ];
            return (outputs, new VerificationContext("bench-model", $"prompt-{i}", $"job-{i}"));
        })];
    }

    [Benchmark(Description = "VerifyAsync: 3 outputs x 256 tokens, with job context")]
    public Task<VerificationResult> Verify()
    {
        var (outputs, context) = _jobs[_next++ % Jobs];
        return _verifier.VerifyAsync(outputs, context, CancellationToken.None);
    }

    [Benchmark(Description = "LexicalEmbedder: 1 output x 256 tokens")]
    public Task<float[][]> Embed() => _embedder.EmbedAsync([_jobs[0].Outputs[0].Output], CancellationToken.None);

    [Benchmark(Description = "TextFingerprint.Of: 1 output x 256 tokens (replay MinHash)")]
    public TextFingerprint Fingerprint() => TextFingerprint.Of(_jobs[0].Outputs[0].Output);

    /// <summary>About <paramref name="tokens"/> tokens of the simulated model's text.</summary>
    internal static string Text(int tokens, long seed)
    {
        var messages = new[] { new ChatMessage("user", "Explain how independent machines can check each other's answers.") };
        var pieces = new List<string>();
        for (var s = seed; pieces.Count < tokens; s++)
        {
            pieces.AddRange(SimulatedTextGenerator.Tokens("bench-model", messages, s).Take(tokens - pieces.Count).Select(t => t.StartsWith(' ') ? t : " " + t));
        }

        return string.Concat(pieces).TrimStart();
    }
}
