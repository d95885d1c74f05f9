using System.Numerics.Tensors;
using Infera.Verification;

namespace Infera.UnitTests.Verification;

public sealed class LexicalEmbedderTests
{
    private const string Answer =
        "The capital of France is Paris. It lies on the Seine and has been the country's capital since the tenth century.";

    private readonly LexicalEmbedder _embedder = new();

    private double Similarity(string a, string b) => TensorPrimitives.CosineSimilarity(_embedder.Embed(a), _embedder.Embed(b));

    [Test]
    public void Identical_text_has_similarity_one()
    {
        Assert.That(Similarity(Answer, Answer), Is.EqualTo(1.0).Within(1e-5));
    }

    [Test]
    public void Case_and_punctuation_do_not_change_the_embedding()
    {
        Assert.That(Similarity(Answer, Answer.ToUpperInvariant().Replace(".", " !", StringComparison.Ordinal)), Is.EqualTo(1.0).Within(1e-5));
    }

    [Test]
    public void Same_answer_with_small_edits_stays_above_the_default_threshold()
    {
        const string edited =
            "The capital of France is Paris. It lies on the river Seine and has been the country's capital since the 10th century.";

        Assert.That(Similarity(Answer, edited), Is.GreaterThanOrEqualTo(new VerificationOptions().Threshold));
    }

    [Test]
    public void Unrelated_text_has_low_similarity()
    {
        const string unrelated = "Photosynthesis converts light energy into chemical energy stored in glucose molecules.";

        Assert.That(Similarity(Answer, unrelated), Is.LessThan(0.3));
    }

    [Test]
    public void Embedding_has_the_configured_dimensions_and_unit_length()
    {
        var vector = new LexicalEmbedder(dimensions: 256).Embed(Answer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(vector, Has.Length.EqualTo(256));
            Assert.That(TensorPrimitives.Norm(vector), Is.EqualTo(1.0).Within(1e-5));
        }
    }

    [TestCase("")]
    [TestCase("   \n\t ... !!!")]
    public void Text_without_words_embeds_to_a_zero_vector_not_nan(string text)
    {
        var vector = _embedder.Embed(text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(vector, Has.None.NaN);
            Assert.That(vector, Is.All.EqualTo(0f));
        }
    }
}
