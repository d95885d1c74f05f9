using BenchmarkDotNet.Attributes;
using Infera.Jobs;
using Infera.NodeAgent.Backends;
using Infera.Verification;

namespace Infera.Bench.Micro;

/// <summary>Verifying one k = 3 job: embedding three outputs of about 256 tokens and comparing them pairwise.</summary>
public class VerifierBenchmarks
{
    private readonly VerifierGrain _verifier = new(new LexicalEmbedder(), new VerificationOptions());
    private readonly LexicalEmbedder _embedder = new();
    private VerificationInput[] _outputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var text = Text(256);
        // Two honest replicas agree exactly; the third drifts in a few words, as sampling noise would.
        var drifted = text.Replace(" the ", " a ", StringComparison.Ordinal);
        _outputs =
        [
            new VerificationInput("job-1.1", "0xA", text),
            new VerificationInput("job-1.2", "0xB", text),
            new VerificationInput("job-1.3", "0xC", drifted),
        ];
    }

    [Benchmark(Description = "Verify: 3 outputs x 256 tokens")]
    public VerificationResult Verify() => _verifier.Verify(_outputs);

    [Benchmark(Description = "Embed: 1 output x 256 tokens")]
    public float[] Embed() => _embedder.Embed(_outputs[0].Output);

    /// <summary>About <paramref name="tokens"/> tokens of the simulated model's text.</summary>
    internal static string Text(int tokens)
    {
        var messages = new[] { new ChatMessage("user", "Explain how independent machines can check each other's answers.") };
        var pieces = new List<string>();
        for (var seed = 1L; pieces.Count < tokens; seed++)
        {
            pieces.AddRange(SimulatedTextGenerator.Tokens("bench-model", messages, seed).Take(tokens - pieces.Count).Select(t => t.StartsWith(' ') ? t : " " + t));
        }

        return string.Concat(pieces).TrimStart();
    }
}
