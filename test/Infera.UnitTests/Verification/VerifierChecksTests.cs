using Infera.Jobs;
using Infera.Verification;

namespace Infera.UnitTests.Verification;

/// <summary>The checks beyond plain similarity: seeded token streams, truncation, replays, canaries.</summary>
public sealed class VerifierChecksTests
{
    private const string Answer =
        "The water cycle moves water between the sea, the air and the land. The sun warms the sea and water rises as vapour, " +
        "cools into clouds, and falls again as rain or snow that runs back through rivers to the sea, where it starts again.";

    private const string OtherAnswer =
        "A bicycle stays upright because the rider steers into any lean, and the spinning wheels and the shape of the fork " +
        "help it return to balance, so small corrections keep it moving in a straight line at speed without falling over.";

    private static readonly VerificationContext Context = new("m", "prompt-water", "job-2");

    private static VerificationInput Input(int i, string text, bool seeded = false, string finish = "stop") =>
        new($"job-2.{i}", $"0xnode{i}", text, seeded, finish);

    [Test]
    public async Task An_output_that_stopped_far_short_of_the_others_disagrees_as_cut_short()
    {
        var verifier = new VerifierGrain(new LexicalEmbedder(), new VerificationOptions { Threshold = 0.6 });
        var half = string.Join(' ', Answer.Split(' ')[..18]);

        var result = await verifier.VerifyAsync([Input(1, Answer), Input(2, Answer), Input(3, half)], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verified, Is.True);
            Assert.That(result.Verdicts.Select(v => v.Verdict), Is.EqualTo(new[] { Verdicts.Agree, Verdicts.Agree, Verdicts.Disagree }));
            Assert.That(result.Verdicts[2].Reason, Does.Contain("cut short"));
        }
    }

    [Test]
    public async Task An_output_cut_by_max_tokens_is_not_called_short()
    {
        var verifier = new VerifierGrain(new LexicalEmbedder(), new VerificationOptions { Threshold = 0.6 });
        var half = string.Join(' ', Answer.Split(' ')[..18]);

        var result = await verifier.VerifyAsync([Input(1, Answer), Input(2, Answer), Input(3, half, finish: "length")], CancellationToken.None);

        Assert.That(result.Verdicts[2].Verdict, Is.EqualTo(Verdicts.Agree));
    }

    [Test]
    public async Task Seeded_replicas_with_identical_token_streams_agree_even_when_short_texts_embed_apart()
    {
        // Two words share no bigram with anything: lexical cosine alone would call them different.
        var verifier = new VerifierGrain(new LexicalEmbedder(), new VerificationOptions { Threshold = 0.95 });

        var seeded = await verifier.VerifyAsync([Input(1, "Hello  there", seeded: true), Input(2, "hello there", seeded: true)], CancellationToken.None);

        Assert.That(seeded.Verified, Is.True);
        Assert.That(seeded.Similarities.Single().Similarity, Is.EqualTo(1));
    }

    [Test]
    public async Task A_replay_of_another_prompts_answer_disagrees_even_without_a_majority()
    {
        var replays = new ReplayIndex();
        var verifier = new VerifierGrain(new LexicalEmbedder(), new VerificationOptions(), replays);
        await verifier.VerifyAsync([Input(1, OtherAnswer), Input(2, OtherAnswer)], new VerificationContext("m", "prompt-bicycle", "job-1"), CancellationToken.None);

        // A job run on a single node (adaptive mode) has nothing to compare with, but a replay is still caught.
        var result = await verifier.VerifyAsync([Input(1, OtherAnswer.Replace(" ", "  ", StringComparison.Ordinal))], Context, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verified, Is.False);
            Assert.That(result.Verdicts.Single().Verdict, Is.EqualTo(Verdicts.Disagree));
            Assert.That(result.Verdicts.Single().Reason, Does.Contain("replays the answer to another prompt (job job-1)"));
        }
    }

    [Test]
    public async Task Unverified_outputs_are_not_remembered_as_answers()
    {
        var replays = new ReplayIndex();
        var verifier = new VerifierGrain(new LexicalEmbedder(), new VerificationOptions(), replays);
        await verifier.VerifyAsync([Input(1, OtherAnswer)], new VerificationContext("m", "prompt-bicycle", "job-1"), CancellationToken.None);

        Assert.That(replays.FindReplay("m", "prompt-other", TextFingerprint.Of(OtherAnswer)), Is.Null);
    }

    [Test]
    public async Task A_canary_agrees_only_with_the_known_answer()
    {
        var verifier = new VerifierGrain(new LexicalEmbedder(), new VerificationOptions());

        var right = await verifier.VerifyAgainstReferenceAsync(Answer, Input(1, Answer), Context, CancellationToken.None);
        var wrong = await verifier.VerifyAgainstReferenceAsync(Answer, Input(2, OtherAnswer), Context, CancellationToken.None);
        var shortened = await verifier.VerifyAgainstReferenceAsync(Answer, Input(3, string.Join(' ', Answer.Split(' ')[..25])), Context, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(right.Verdict, Is.EqualTo(Verdicts.Agree));
            Assert.That(wrong.Verdict, Is.EqualTo(Verdicts.Disagree));
            Assert.That(wrong.Reason, Does.Contain("known answer"));
            Assert.That(shortened.Verdict, Is.EqualTo(Verdicts.Disagree));
            Assert.That(shortened.Reason, Does.Contain("cut short"));
        }
    }
}
