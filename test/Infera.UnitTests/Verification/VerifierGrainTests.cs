using Infera.Jobs;
using Infera.Verification;

namespace Infera.UnitTests.Verification;

public sealed class VerifierGrainTests
{
    private const string Paris =
        "The capital of France is Paris, a city on the Seine known for the Eiffel Tower and the Louvre museum.";

    private const string ParisEdited =
        "The capital of France is Paris, a city on the river Seine known for the Eiffel Tower and the Louvre.";

    private const string Garbage = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor";

    private const string Photosynthesis = "Photosynthesis turns sunlight, water and carbon dioxide into sugar and oxygen in plant leaves.";

    private readonly VerifierGrain _verifier = new(new LexicalEmbedder(), new VerificationOptions());

    // The lexical embedder completes synchronously, so blocking here costs nothing.
    private VerificationResult Verify(IReadOnlyList<VerificationInput> outputs) =>
        _verifier.VerifyAsync(outputs, CancellationToken.None).GetAwaiter().GetResult();

    private static VerificationInput[] Outputs(params string[] texts) =>
        [.. texts.Select((text, i) => new VerificationInput($"job-1.{i + 1}", $"0xnode{i + 1}", text))];

    private static string[] VerdictsOf(VerificationResult result) => [.. result.Verdicts.Select(v => v.Verdict)];

    [Test]
    public void Three_identical_outputs_are_verified_and_all_agree()
    {
        var result = Verify(Outputs(Paris, Paris, Paris));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verified, Is.True);
            Assert.That(VerdictsOf(result), Is.All.EqualTo(Verdicts.Agree));
            Assert.That(result.AgreeingAssignments, Is.EquivalentTo(new[] { "job-1.1", "job-1.2", "job-1.3" }));
            Assert.That(result.Verdicts.Select(v => v.Score), Is.All.EqualTo(1.0).Within(1e-4));
        }
    }

    [Test]
    public void Two_agreeing_outputs_outvote_a_garbage_one()
    {
        var result = Verify(Outputs(Paris, Garbage, ParisEdited));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verified, Is.True);
            Assert.That(VerdictsOf(result), Is.EqualTo(new[] { Verdicts.Agree, Verdicts.Disagree, Verdicts.Agree }));
            Assert.That(result.AgreeingAssignments, Is.EquivalentTo(new[] { "job-1.1", "job-1.3" }));
            Assert.That(result.Verdicts[1].Node, Is.EqualTo("0xnode2"));
            Assert.That(result.Verdicts[1].Score, Is.LessThan(result.Verdicts[0].Score));
        }
    }

    [Test]
    public void Three_mutually_different_outputs_are_unverified_and_nobody_is_judged()
    {
        var result = Verify(Outputs(Paris, Garbage, Photosynthesis));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verified, Is.False);
            Assert.That(VerdictsOf(result), Is.All.EqualTo(Verdicts.Undecided));
        }
    }

    [Test]
    public void Single_output_is_unverified()
    {
        var result = Verify(Outputs(Paris));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verified, Is.False);
            Assert.That(VerdictsOf(result), Is.EqualTo(new[] { Verdicts.Undecided }));
            Assert.That(result.Similarities, Is.Empty);
        }
    }

    [Test]
    public void Two_agreeing_outputs_are_verified()
    {
        var result = Verify(Outputs(Paris, ParisEdited));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verified, Is.True);
            Assert.That(VerdictsOf(result), Is.All.EqualTo(Verdicts.Agree));
        }
    }

    [Test]
    public void Two_disagreeing_outputs_are_unverified()
    {
        var result = Verify(Outputs(Paris, Garbage));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verified, Is.False);
            Assert.That(VerdictsOf(result), Is.All.EqualTo(Verdicts.Undecided));
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    [TestCase(5)]
    public void Every_pair_of_outputs_is_compared_once(int n)
    {
        var result = Verify(Outputs([.. Enumerable.Repeat(Paris, n)]));

        var pairs = result.Similarities.Select(s => (s.A, s.B)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pairs, Has.Count.EqualTo(n * (n - 1) / 2));
            Assert.That(pairs, Is.Unique);
            Assert.That(pairs, Has.None.Matches<(string A, string B)>(p => p.A == p.B));
        }
    }

    [Test]
    public void Empty_outputs_are_compared_without_nan()
    {
        var result = Verify(Outputs(string.Empty, Paris, string.Empty));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Similarities.Select(s => s.Similarity), Has.None.NaN);
            Assert.That(result.Verdicts.Select(v => v.Score), Has.None.NaN);
        }
    }

    [Test]
    public void More_outputs_than_the_exhaustive_search_allows_are_refused()
    {
        Assert.That(() => Verify(Outputs([.. Enumerable.Repeat(Paris, 17)])), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
